import { SpecError } from '../../errors.js';
import type { Notification } from '../../model/notification.js';
import type { NotifySecrets } from './notifier.js';

/** A notification's effective parameters and every secret value that went into them. */
export interface ResolvedParams {
  /** `params` overlaid with `secret_params` (MLRun merges them the same way: secret keys win). */
  params: Record<string, unknown>;
  /** The resolved secret parameters alone (the map, or the JSON map its `secret` reference points to). */
  secretParams: Record<string, unknown>;
  /** Which keys came from `secret_params`, so a notifier never prints them. */
  secretKeys: ReadonlySet<string>;
  /** Every string inside the secret parameters (numbers and booleans are not secrets), to redact from reasons and logs. */
  secretValues: string[];
}

function stringLeaves(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringLeaves(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => stringLeaves(v, out));
  return out;
}

/**
 * Resolves `secret_params`: either the map itself, or `{ secret: "<key>" }`, a reference to a secret whose value
 * is a JSON map of the parameters (MLRun stores them in a project secret the same way). Errors name the
 * notification and the secret key, never a value.
 */
export function resolveNotificationParams(notification: Notification, secrets?: NotifySecrets): ResolvedParams {
  let secretParams: Record<string, unknown> = { ...(notification.secretParams ?? {}) };
  const ref = secretParams.secret;
  if (ref !== undefined) {
    const where = `notification "${notification.name}": secret_params.secret`;
    if (typeof ref !== 'string' || ref === '') throw new SpecError(`${where}: expected the name of a secret that holds the parameters as a JSON map`);
    const text = secrets?.get(ref);
    if (text === undefined) throw new SpecError(`${where} refers to secret "${ref}", which the run's secrets do not have; add it with a secret source`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SpecError(`${where}: secret "${ref}" is not JSON; expected a map such as {"url": "https://hooks.example/x"}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SpecError(`${where}: secret "${ref}" is not a JSON map; expected a map such as {"url": "https://hooks.example/x"}`);
    }
    secretParams = parsed as Record<string, unknown>;
  }
  return {
    params: { ...(notification.params ?? {}), ...secretParams },
    secretParams,
    secretKeys: new Set(Object.keys(secretParams)),
    secretValues: stringLeaves(secretParams, []),
  };
}

/**
 * Every value to hide when reporting on `notification`: the store's values and the strings of its literal
 * `secret_params`. (Values behind a `secret` reference are in the store already.)
 */
export function notificationSecretValues(notification: Notification, secrets?: NotifySecrets): string[] {
  const literal = { ...(notification.secretParams ?? {}) };
  delete literal.secret;
  return [...(secrets?.values() ?? []), ...stringLeaves(literal, [])];
}
