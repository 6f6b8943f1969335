import { SpecError } from '../../src/index.js';

/** A parsed `redis://` / `rediss://` URL, without credentials (they come from the secrets). */
export interface RedisEndpoint {
  tls: boolean;
  host: string;
  port: number;
  db: number;
  /** The path after the db index, with a trailing `/` (MLRun: the URL path is the table), when given. */
  table?: string;
  /** The URL as safe to show: scheme, host, port, db. */
  display: string;
}

/**
 * Parses `redis[s]://host[:port][/db][/table/path]`. A first path segment of digits is the database index
 * (default 0); the rest of the path, if any, is the table. A user or password in the URL is refused, as MLRun
 * does: they belong in the secrets `REDIS_USER` / `REDIS_PASSWORD`.
 */
export function parseRedisUrl(url: string, where: string): RedisEndpoint {
  const m = /^(rediss?):\/\/([^/?#]*)([^?#]*)(?:\?[^#]*)?$/.exec(url);
  if (!m) throw new SpecError(`${where}: ${JSON.stringify(safeUrl(url))} is not a Redis URL; expected redis://host:port/db or rediss://host:port/db`);
  const scheme = m[1] as string;
  let authority = m[2] as string;
  const path = m[3] as string;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    throw new SpecError(
      `${where}: the Redis URL ${safeUrl(url)} carries a user or password; remove them from the URL and put them in the secrets REDIS_USER and REDIS_PASSWORD (prefixed <credentials_prefix>_ when the target sets credentials_prefix)`,
    );
  }
  authority = authority.trim();
  let port = 6379;
  const pm = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!pm) throw new SpecError(`${where}: cannot read host and port from ${JSON.stringify(url)}`);
  const host = (pm[1] as string).replace(/^\[|\]$/g, '') || '127.0.0.1';
  if (pm[2] !== undefined && pm[2] !== '') {
    port = Number(pm[2]);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new SpecError(`${where}: port ${pm[2]} in ${JSON.stringify(url)} is not a TCP port (1-65535)`);
  }
  const segments = path.split('/').filter((s) => s !== '');
  let db = 0;
  if (segments.length > 0 && /^\d+$/.test(segments[0] as string)) {
    db = Number(segments.shift());
    if (db > 65535) throw new SpecError(`${where}: database index ${db} in ${JSON.stringify(url)} is too large`);
  }
  const table = segments.length > 0 ? `${segments.map(decodeURIComponent).join('/')}/` : undefined;
  const display = `${scheme}://${authority}/${db}`;
  return { tls: scheme === 'rediss', host, port, db, ...(table !== undefined ? { table } : {}), display };
}

/** The URL with any user info replaced by `***` (never echo a password). */
function safeUrl(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, '$1***@');
}

/**
 * The table MLRun builds from a Redis URL (`mlrun/platforms/iguazio.py:parse_path`: the whole URL path, slashes
 * stripped, plus `/`; a leading database index stays part of it), or undefined when the URL has no path.
 * @example mlrunTablePath('redis://h:6379/0/some/table') // '0/some/table/'
 */
export function mlrunTablePath(url: string): string | undefined {
  const m = /^rediss?:\/\/[^/?#]*([^?#]*)/.exec(url);
  const path = (m?.[1] ?? '').replace(/^\/+|\/+$/g, '');
  return path === '' ? undefined : `${path}/`;
}
