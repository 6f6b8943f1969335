import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { NotFoundError, NotSupportedError, SluiceError, SpecError } from '../../src/index.js';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Opens a local file as a byte stream (1 MiB chunks). A missing file is a `NotFoundError` naming the path;
 * a URL such as `s3://` needs another `openRead` (from the source context).
 */
export async function openLocalFile(path: string, o: { signal?: AbortSignal } = {}): Promise<Readable> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new NotSupportedError(`${path}: this reader opens local files only; pass an openRead for ${path.split(':')[0]}:// paths in the source context`);
  }
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new SpecError(`${path} is a directory; a csv source reads one file`);
  } catch (err) {
    if (err instanceof SluiceError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`file not found: ${path}`, { cause: err });
    throw new SluiceError('IO', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  return createReadStream(path, { highWaterMark: CHUNK_BYTES, signal: o.signal });
}
