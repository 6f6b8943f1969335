import { fileURLToPath } from 'node:url';
import { SpecError } from '../errors.js';
import { redactUrl } from '../util/redact.js';

/**
 * A storage path taken apart.
 * - local (`/data/x`, `rel/x`, `file:///data/x`): `scheme` is `file`, `path` the local path, no `bucket`;
 * - object store (`s3://bucket/key/x`): `scheme` lower-cased, `bucket` the authority, `path` the key with no
 *   leading slash (`key/x`; `''` for the bucket root).
 */
export interface ParsedPath {
  scheme: string;
  bucket?: string;
  path: string;
}

/** `scheme://` at the start of a path; a scheme is at least two characters so `C:\x` is not one. */
const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//;

/** The scheme of a path (`s3`, `file`), lower-cased; `file` when the path has none. */
export function schemeOf(path: string): string {
  const m = SCHEME_RE.exec(path);
  return m ? (m[1] as string).toLowerCase() : 'file';
}

/**
 * Splits a path or URL into scheme, bucket and path/key. Throws a `SpecError` naming the path for a `file://`
 * URL with a remote host and for an object-store URL without a bucket.
 * @example parsePath('s3://lake/fs/part-0.parquet') // { scheme: 's3', bucket: 'lake', path: 'fs/part-0.parquet' }
 * @example parsePath('file:///tmp/a.csv')           // { scheme: 'file', path: '/tmp/a.csv' }
 */
export function parsePath(url: string): ParsedPath {
  const m = SCHEME_RE.exec(url);
  if (!m) return { scheme: 'file', path: url };
  const scheme = (m[1] as string).toLowerCase();
  if (scheme === 'file') {
    try {
      return { scheme, path: fileURLToPath(url) };
    } catch (err) {
      throw new SpecError(`path ${JSON.stringify(url)}: not a local file URL; expected file:///absolute/path`, { cause: err });
    }
  }
  const rest = url.slice(m[0].length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') {
    throw new SpecError(`path ${JSON.stringify(redactUrl(url))}: no bucket; expected ${scheme}://<bucket>/<key>`);
  }
  return { scheme, bucket, path: slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+/, '') };
}
