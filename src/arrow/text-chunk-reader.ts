import type { Readable } from 'node:stream';
import { AbortedError, NotFoundError, SluiceError } from '../errors.js';
import { Utf8ChunkDecoder } from './utf8-decoder.js';

/**
 * Reads a byte stream as UTF-8 text a chunk at a time and hands out items (records, lines) cut from it: take
 * items with `next()` until it returns undefined, then `await fill()` for the next chunk; `fill()` returns
 * false at the end. A subclass cuts the items: `push` takes a chunk, `end` marks the end of the text.
 * Stops with an `AbortedError` on abort; read errors name the file. Bytes that are not UTF-8 become
 * `INVALID_UTF8` in the text and are counted in {@link invalidUtf8}, so the subclass's caller can refuse the
 * item that holds them (never a silent U+FFFD).
 */
export abstract class TextChunkReader<T> {
  private readonly chunks: AsyncIterator<Uint8Array | string>;
  private readonly decoder = new Utf8ChunkDecoder();
  private done = false;

  constructor(
    private readonly stream: Readable,
    /** The file as the caller names it, for messages. */
    protected readonly file: string,
    private readonly signal?: AbortSignal,
  ) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  }

  /** Bytes read so far that are not UTF-8 (each is `INVALID_UTF8` in the text); 0 for a valid file. */
  get invalidUtf8(): number {
    return this.decoder.invalidBytes;
  }

  /** The next item from text already read, or undefined when {@link fill} must read more. */
  abstract next(): T | undefined;

  /** Takes the next chunk of text. */
  protected abstract push(chunk: string): void;

  /** Marks the end of the text, so that `next` hands out the last item. */
  protected abstract end(): void;

  /** Throws an {@link AbortedError} when the signal has fired. */
  checkAbort(): void {
    if (this.signal?.aborted) throw new AbortedError(`reading ${this.file} was aborted`, { cause: this.signal.reason });
  }

  /** The next item, reading more of the file when needed; undefined at the end (not for hot loops). */
  async read(): Promise<T | undefined> {
    for (;;) {
      const item = this.next();
      if (item !== undefined || !(await this.fill())) return item;
    }
  }

  /** Reads the next chunk; false at the end of the file (after which `next` drains the last item). */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    this.checkAbort();
    let r: IteratorResult<Uint8Array | string>;
    try {
      r = await this.chunks.next();
    } catch (err) {
      throw this.translate(err);
    }
    if (r.done) {
      const tail = this.decoder.decode(new Uint8Array(0), true);
      if (tail !== '') this.push(tail);
      this.end();
      this.done = true;
      return true;
    }
    this.push(typeof r.value === 'string' ? r.value : this.decoder.decode(r.value));
    return true;
  }

  close(): void {
    this.stream.destroy();
  }

  private translate(err: unknown): Error {
    if (this.signal?.aborted) return new AbortedError(`reading ${this.file} was aborted`, { cause: err });
    if (err instanceof SluiceError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new NotFoundError(`file not found: ${this.file}`, { cause: err });
    return new SluiceError('IO', `cannot read ${this.file}: ${(err as Error).message}`, { cause: err, retryable: true });
  }
}
