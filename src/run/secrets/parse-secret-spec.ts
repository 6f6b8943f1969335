import { SpecError } from '../../errors.js';
import { checkSecretKind } from './secret-kind.js';
import type { SecretKind } from './secret-kind.js';

/** A secret source as given on a command line: `file=path`, `env=A,B` or `inline={"k": "v"}` (JSON). */
export interface SecretSpec {
  kind: SecretKind;
  source: string;
}

/**
 * Parses `kind=source`, splitting at the first `=`. Throws SpecError for a missing `=` or an empty source,
 * NotSupportedError for MLRun's vault/kubernetes/azure_vault. The message never quotes an inline source.
 * @example parseSecretSpec('env=AWS_KEY,AWS_SECRET') // { kind: 'env', source: 'AWS_KEY,AWS_SECRET' }
 */
export function parseSecretSpec(spec: string): SecretSpec {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new SpecError(`secrets ${JSON.stringify(spec)}: expected kind=source, e.g. file=secrets.env or env=A,B`);
  const kind = checkSecretKind(spec.slice(0, eq).trim());
  const source = spec.slice(eq + 1).trim();
  if (source === '') throw new SpecError(`secrets ${kind}=: the source is empty; expected ${kind === 'env' ? 'names like A,B' : kind === 'file' ? 'a file path' : 'a JSON map'}`);
  return { kind, source };
}
