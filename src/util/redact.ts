/** What replaces a secret value. */
export const REDACTED = '***';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regex matching any of the secrets, longest first so an overlapping longer secret is hidden whole. */
function secretPattern(secrets: Iterable<string>): RegExp | undefined {
  const values = [...new Set([...secrets].filter((s) => typeof s === 'string' && s.length > 0))];
  if (values.length === 0) return undefined;
  values.sort((a, b) => b.length - a.length);
  return new RegExp(values.map(escapeRegExp).join('|'), 'g');
}

/**
 * Replaces every occurrence of every secret value in `text` with `***`, in one pass (so `***` itself is never
 * re-matched). Empty secrets are ignored.
 * @example redact('token=abc123', ['abc123']) // 'token=***'
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const re = secretPattern(secrets);
  return re === undefined ? text : text.replace(re, REDACTED);
}

/**
 * A copy of a JSON-like value with every string, and every object key, passed through {@link redact}.
 * Numbers, booleans, null and other values are returned unchanged.
 */
export function redactDeep<T>(value: T, secrets: Iterable<string>): T {
  const re = secretPattern(secrets);
  if (re === undefined) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, REDACTED);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto === Object.prototype || proto === null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(re, REDACTED), walk(x)]));
      }
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Hides the password of a URL's user info: `redis://user:pw@host:6379/0` → `redis://user:***@host:6379/0`.
 * The rest of the string is kept byte for byte; a string without `scheme://user:password@` is returned as is.
 */
export function redactUrl(url: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)/.exec(url);
  if (!m) return url;
  const prefix = m[1] as string;
  const authority = m[2] as string;
  const at = authority.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0 || colon === userinfo.length - 1) return url;
  return `${prefix}${userinfo.slice(0, colon)}:${REDACTED}${authority.slice(at)}${url.slice(m[0].length)}`;
}
