/** What replaces a secret value. */
export const REDACTED = '***';

/** Secret values shorter than this are redacted only where they stand alone (see {@link isShortSecret}). */
export const MIN_SECRET_LENGTH = 4;

/** Words that are also common literals: a secret equal to one of them is treated like a short secret. */
const LITERAL_WORDS = new Set(['true', 'false', 'null', 'none', 'nan', 'yes', 'no', 'on', 'off']);

/**
 * Whether a secret value is "short": fewer than {@link MIN_SECRET_LENGTH} characters, or a literal word such as
 * `true` (any case). A short secret is replaced only as a whole token, never inside a longer word or number.
 */
export function isShortSecret(value: string): boolean {
  return value.length < MIN_SECRET_LENGTH || LITERAL_WORDS.has(value.toLowerCase());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Not next to a letter, digit or `_`: how a short secret must stand to be replaced. */
const ALONE_BEFORE = '(?<![\\p{L}\\p{N}_])';
const ALONE_AFTER = '(?![\\p{L}\\p{N}_])';

/**
 * One regex matching any of the secrets, longest first so an overlapping longer secret is hidden whole. Long
 * secrets match anywhere; short ones only as whole tokens.
 */
function secretPattern(secrets: Iterable<string>): RegExp | undefined {
  const values = [...new Set([...secrets].filter((s) => typeof s === 'string' && s.length > 0))];
  if (values.length === 0) return undefined;
  values.sort((a, b) => b.length - a.length);
  const parts = values.map((v) => (isShortSecret(v) ? `${ALONE_BEFORE}${escapeRegExp(v)}${ALONE_AFTER}` : escapeRegExp(v)));
  return new RegExp(parts.join('|'), 'gu');
}

/**
 * Replaces every secret value in `text` with `***`, in one pass (so `***` itself is never re-matched). A secret
 * of 4 or more characters is replaced wherever it occurs; a short one (see {@link isShortSecret}) only where it
 * stands alone, not next to a letter, digit or `_`, so `a` hides `user a` but not `data`. Empty secrets are ignored.
 * For text that leaves the process (log lines, error messages, displays), never for records that are parsed again.
 * @example redact('token=abc123', ['abc123']) // 'token=***'
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const re = secretPattern(secrets);
  return re === undefined ? text : text.replace(re, REDACTED);
}

/**
 * A copy of a JSON-like value with every string value passed through {@link redact}. Object keys, numbers,
 * booleans, null and other values are returned unchanged.
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
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
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
