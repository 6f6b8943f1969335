import { NotSupportedError, SpecError } from '../../errors.js';

/** The secret sources Sluice reads. */
export type SecretKind = 'inline' | 'env' | 'file';

/** The kinds Sluice supports, in the order messages list them. */
export const SECRET_KINDS: readonly SecretKind[] = ['inline', 'env', 'file'];

/** MLRun kinds that Sluice deliberately does not read. */
const UNSUPPORTED_KINDS: ReadonlySet<string> = new Set(['vault', 'kubernetes', 'azure_vault']);

/**
 * Checks a secret source kind: MLRun's vault/kubernetes/azure_vault → NotSupportedError, anything else
 * unknown → SpecError; both name the kind and the supported ones.
 */
export function checkSecretKind(kind: string): SecretKind {
  if ((SECRET_KINDS as readonly string[]).includes(kind)) return kind as SecretKind;
  if (UNSUPPORTED_KINDS.has(kind)) {
    throw new NotSupportedError(`secrets kind "${kind}" is not supported; Sluice supports ${SECRET_KINDS.join(', ')} (use env or file instead)`);
  }
  throw new SpecError(`secrets kind ${JSON.stringify(kind)} is unknown; expected one of ${SECRET_KINDS.join(', ')}`);
}
