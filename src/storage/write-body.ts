import type { FileWriter, WriteBody, WriteResult } from './file-system.js';
import { throwIfAborted } from './storage-error.js';

/** Bytes of one chunk: strings are UTF-8. */
export function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * Streams `body` through `writer` and closes it; on any failure (including an abort of `signal`, checked
 * between chunks) the writer is aborted so nothing appears under its path, and the error is rethrown.
 * Implementations of {@link FileSystem.write} build on their `createWriter` with this.
 */
export async function writeBody(writer: FileWriter, body: WriteBody, path: string, signal?: AbortSignal): Promise<WriteResult> {
  try {
    if (typeof body === 'string' || body instanceof Uint8Array) {
      await writer.write(toBytes(body));
    } else {
      for await (const chunk of body) {
        throwIfAborted(signal, 'write', path);
        await writer.write(toBytes(chunk));
      }
    }
    throwIfAborted(signal, 'write', path);
    return await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
