import { SpecError, resolveNotificationParams } from '../../src/index.js';
import type { Notification, NotifySecrets } from '../../src/index.js';

/** HTTP methods a webhook may use: ones that carry a body. */
export const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH'] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

/** The parameter keys a webhook accepts in `params` or `secret_params`; any other key is refused. */
export const WEBHOOK_PARAM_KEYS = ['url', 'method', 'headers', 'override_body', 'verify_ssl', 'retries', 'backoff_ms', 'timeout_ms'] as const;

/** Defaults: 2 retries (3 attempts), 200 ms base backoff, 10 s per attempt. */
export const WEBHOOK_DEFAULTS = { retries: 2, backoffMs: 200, timeoutMs: 10_000 } as const;

/** A webhook notification's settings, parsed once. */
export interface WebhookOptions {
  url: string;
  /** The url came from `secret_params`: it is never shown, only its host. */
  urlIsSecret: boolean;
  method: WebhookMethod;
  /** `params.headers` overlaid with `secret_params.headers`. */
  headers: Record<string, string>;
  /** Sent as the JSON body instead of `{ message, severity, run }` when set. */
  overrideBody?: unknown;
  /** `false`: an https server's certificate is not verified (self-signed endpoints). */
  verifySsl: boolean;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries: number;
  /** Wait before retry n is `backoffMs * 2^(n-1)`. */
  backoffMs: number;
  /** Limit for each attempt. */
  timeoutMs: number;
  /** Every secret string in the settings: the secret parameters and the parts of a secret url. */
  secretValues: string[];
}

function integer(params: Record<string, unknown>, key: string, dflt: number, min: number, max: number, name: string): number {
  const v = params[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SpecError(`notification "${name}": params.${key}: ${JSON.stringify(v)} is not valid; expected an integer from ${min} to ${max}`);
  }
  return v;
}

function headerMap(value: unknown, where: string, isSecret: boolean): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecError(`${where}: ${isSecret ? '(value hidden)' : JSON.stringify(value)} is not a map of header names to values`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new SpecError(`${where}.${k}: ${isSecret ? '(value hidden)' : JSON.stringify(v)} is not a header value; expected a string`);
    }
    out[k] = String(v);
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The parts of a secret url that could hold a token: the whole url, and its user info, path with query and query
 * values when at least 4 characters long (shorter parts would hide ordinary words in a reason). The host stays visible.
 */
function urlSecrets(url: URL, raw: string): string[] {
  const parts = [url.username, url.password, decode(url.password), `${url.pathname}${url.search}`, ...url.searchParams.values()];
  return [raw, url.href, ...parts.filter((p) => p.length >= 4)];
}

/**
 * Reads a webhook notification's settings from `params` overlaid with `secret_params` (or the secret its `secret`
 * key names). Throws a `SpecError` naming the notification and the key; a value from `secret_params` is never quoted.
 */
export function parseWebhookOptions(notification: Notification, secrets?: NotifySecrets): WebhookOptions {
  const { name } = notification;
  const { params, secretParams, secretKeys, secretValues } = resolveNotificationParams(notification, secrets);
  const unknown = Object.keys(params).filter((k) => !(WEBHOOK_PARAM_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new SpecError(`notification "${name}": unknown webhook parameter(s) ${unknown.map((k) => `"${k}"`).join(', ')}; expected: ${WEBHOOK_PARAM_KEYS.join(', ')}`);
  }
  const urlIsSecret = secretKeys.has('url');
  const shown = (key: string, v: unknown): string => (secretKeys.has(key) ? '(value hidden)' : JSON.stringify(v));
  const raw = params.url;
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new SpecError(`notification "${name}": ${urlIsSecret ? 'secret_params' : 'params'}.url: ${shown('url', raw)} is not an http(s) URL`);
  }
  const method = params.method === undefined ? 'POST' : typeof params.method === 'string' ? params.method.toUpperCase() : '';
  if (!(WEBHOOK_METHODS as readonly string[]).includes(method)) {
    throw new SpecError(`notification "${name}": params.method: ${shown('method', params.method)} is not supported; expected one of ${WEBHOOK_METHODS.join(', ')}`);
  }
  const verify = params.verify_ssl ?? true;
  if (typeof verify !== 'boolean') throw new SpecError(`notification "${name}": params.verify_ssl: ${shown('verify_ssl', verify)} is not true or false`);
  return {
    url: url.href,
    urlIsSecret,
    method: method as WebhookMethod,
    headers: {
      ...headerMap(notification.params?.headers, `notification "${name}": params.headers`, false),
      ...headerMap(secretParams.headers, `notification "${name}": secret_params.headers`, true),
    },
    ...(params.override_body === undefined ? {} : { overrideBody: params.override_body }),
    verifySsl: verify,
    retries: integer(params, 'retries', WEBHOOK_DEFAULTS.retries, 0, 10, name),
    backoffMs: integer(params, 'backoff_ms', WEBHOOK_DEFAULTS.backoffMs, 0, 60_000, name),
    timeoutMs: integer(params, 'timeout_ms', WEBHOOK_DEFAULTS.timeoutMs, 1, 600_000, name),
    secretValues: urlIsSecret && typeof raw === 'string' ? [...secretValues, ...urlSecrets(url, raw)] : secretValues,
  };
}
