import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError, NotSupportedError, SluiceError, SpecError } from '../errors.js';

const CHUNK_BYTES = 1024 * 1024;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True for a URL such as `s3://bucket/key` (as opposed to a local path). */
export function isUrl(path: string): boolean {
  return URL_RE.test(path);
}

/** A local path resolved against `cwd`; URLs are returned unchanged. */
export function resolveLocation(path: string, cwd: string = process.cwd()): string {
  if (isUrl(path)) return path;
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/**
 * Opens a local file as a byte stream (1 MiB chunks); the default `OpenRead` of file sources. A missing file
 * is a `NotFoundError` naming the path, a directory a `SpecError`; a URL such as `s3://` needs another
 * `openRead` (from the source context).
 */
export async function openLocalFile(path: string, o: { signal?: AbortSignal } = {}): Promise<Readable> {
  if (isUrl(path)) {
    throw new NotSupportedError(`${path}: this reader opens local files only; pass an openRead for ${path.split(':')[0]}:// paths in the source context`);
  }
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new SpecError(`${path} is a directory; this source reads one file`);
  } catch (err) {
    if (err instanceof SluiceError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`file not found: ${path}`, { cause: err });
    throw new SluiceError('IO', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  return createReadStream(path, { highWaterMark: CHUNK_BYTES, signal: o.signal });
}
