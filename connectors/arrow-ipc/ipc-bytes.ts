import type { Readable } from 'node:stream';

const MAGIC = 'ARROW1';
const FILE_HEAD_BYTES = 8;

/**
 * The bytes of an Arrow IPC file or stream as an Arrow IPC *stream*: an IPC file is `ARROW1\0\0`, the stream
 * format, then a footer; dropping the 8 leading bytes lets the stream reader take it front to back (it stops at
 * the end-of-stream marker, before the footer), so a file is read in one pass without random access.
 */
export async function* ipcStreamBytes(stream: Readable): AsyncGenerator<Uint8Array> {
  let head = new Uint8Array(0);
  let decided = false;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    if (decided) {
      yield chunk;
      continue;
    }
    const joined = new Uint8Array(head.length + chunk.length);
    joined.set(head);
    joined.set(chunk, head.length);
    head = joined;
    if (head.length < FILE_HEAD_BYTES) continue;
    decided = true;
    const isFile = Buffer.from(head.buffer, head.byteOffset, MAGIC.length).toString('latin1') === MAGIC;
    yield isFile ? head.subarray(FILE_HEAD_BYTES) : head;
  }
  if (!decided && head.length > 0) yield head;
}
