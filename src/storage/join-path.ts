import { isFileUrl, joinLocal } from './local-paths.js';
import { schemeOf } from './parse-path.js';

/**
 * Joins path parts as the first part's file system would: a plain path or `file://` URL locally, a URL
 * (`s3://bucket/prefix`) with single slashes and its `scheme://authority` head kept. Use it where no file system
 * is at hand yet (a run's `in_path` + an input); `FileSystem.join` gives the same result.
 * @example joinPath('s3://lake/in', 'data/x.csv') // 's3://lake/in/data/x.csv'
 * @example joinPath('/data', 'x.csv')             // '/data/x.csv'
 */
export function joinPath(base: string, ...parts: string[]): string {
  if (schemeOf(base) === 'file') return joinLocal(base, ...parts);
  let out = base.replace(/\/+$/, '');
  for (const part of parts) {
    const trimmed = part.replace(/^\/+|\/+$/g, '');
    if (trimmed !== '') out = `${out}/${trimmed}`;
  }
  return out;
}

/** True for a path that names its own location: absolute local, `file://`, or any `scheme://` URL. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || schemeOf(p) !== 'file' || isFileUrl(p);
}
