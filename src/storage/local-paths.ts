import nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SpecError } from '../errors.js';

const FILE_URL_RE = /^file:\/\//i;

/** True when `p` is a `file://` URL rather than a plain path. */
export function isFileUrl(p: string): boolean {
  return FILE_URL_RE.test(p);
}

/**
 * The absolute local path of a plain path (resolved against `cwd`) or a `file://` URL. Throws a `SpecError`
 * naming the path for a URL of another scheme or a `file://` URL with a remote host.
 */
export function toLocalPath(p: string, cwd: string): string {
  if (isFileUrl(p)) {
    try {
      return fileURLToPath(p);
    } catch (err) {
      throw new SpecError(`path ${JSON.stringify(p)}: not a local file URL; expected file:///absolute/path`, { cause: err });
    }
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.test(p)) {
    throw new SpecError(`path ${JSON.stringify(p)}: the local file system takes plain paths and file:// URLs; other schemes (s3://) go through their connector's file system`);
  }
  return nodePath.resolve(cwd, p);
}

/**
 * Joins local path parts. When the first part is a `file://` URL the result is one too (names are
 * percent-encoded as needed), otherwise a plain path.
 */
export function joinLocal(...parts: string[]): string {
  const [head, ...rest] = parts;
  if (head !== undefined && isFileUrl(head)) return pathToFileURL(nodePath.join(fileURLToPath(head), ...rest)).href;
  return nodePath.join(...parts);
}

/** The parent of a plain path or `file://` URL, in the same form. */
export function dirnameLocal(p: string): string {
  if (isFileUrl(p)) return pathToFileURL(nodePath.dirname(fileURLToPath(p))).href;
  return nodePath.dirname(p);
}

/** The last segment (decoded for a `file://` URL). */
export function basenameLocal(p: string): string {
  return nodePath.basename(isFileUrl(p) ? fileURLToPath(p) : p);
}
