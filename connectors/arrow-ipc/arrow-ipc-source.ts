import { open as openFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { RecordBatchReader } from 'apache-arrow';
import type { AsyncRecordBatchFileReader, AsyncRecordBatchStreamReader, RecordBatch, RecordBatchFileReader, RecordBatchStreamReader, Schema } from 'apache-arrow';
import { AbortedError, BadInputError, isUrl, NotFoundError, NotSupportedError, resolveLocation, SluiceError, SpecError } from '../../src/index.js';
import type { DataSource, OpenRead, ReadOptions, Source, SourceStats } from '../../src/index.js';
import { ipcStreamBytes } from './ipc-bytes.js';

type AsyncRecordBatchReader = AsyncRecordBatchFileReader | AsyncRecordBatchStreamReader | RecordBatchFileReader | RecordBatchStreamReader;

async function openLocal(path: string): Promise<FileHandle> {
  if (isUrl(path)) throw new NotSupportedError(`${path}: this reader opens local files only; pass an openRead for ${path.split(':')[0]}:// paths in the source context`);
  try {
    const handle = await openFile(path, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new SpecError(`${path} is a directory; an arrow source reads one file`);
    }
    return handle;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`file not found: ${path}`, { cause: err });
    throw err;
  }
}

/** Rows per batch when `read()` is not told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536;

/** The settings of an arrow source. */
export interface ArrowIpcOptions {
  /** The path as given in the spec (used in messages). */
  path: string;
  /** The path to open: absolute for local files, unchanged for URLs. */
  location: string;
}

/** Reads the arrow source settings: `path` (an Arrow IPC file or stream). Throws a `SpecError` without one. */
export function parseArrowIpcOptions(spec: DataSource, cwd: string = process.cwd()): ArrowIpcOptions {
  if (typeof spec.path !== 'string' || spec.path === '') {
    throw new SpecError(`arrow source${spec.name ? ` "${spec.name}"` : ''}: path is required; set path to an Arrow IPC file or stream, e.g. data/events.arrow`);
  }
  return { path: spec.path, location: resolveLocation(spec.path, cwd) };
}

/**
 * An Arrow IPC {@link Source} (file or stream format, told apart by the magic bytes), read front to back in one
 * pass through `openRead`, so any byte stream (local file, S3 object) serves. Batches larger than `batchSize` are
 * sliced (zero-copy); smaller ones pass as they are.
 *
 * @example
 * const src = new ArrowIpcSource(parseArrowIpcOptions(new DataSource({ kind: 'arrow', path: 'events.arrow' })));
 */
export class ArrowIpcSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  private knownSchema: Schema | undefined;

  /**
   * Without `openRead` a local file is opened for random access (an IPC file's batches are then read block by
   * block through its footer). With `openRead` the bytes are read front to back (see `ipcStreamBytes`); an IPC
   * file whose body lacks the schema message (apache-arrow JS writes such files) is then buffered whole.
   */
  constructor(readonly options: ArrowIpcOptions, private readonly openRead?: OpenRead) {
    this.description = `arrow file ${options.path}`;
  }

  async schema(o: { signal?: AbortSignal } = {}): Promise<Schema> {
    if (this.knownSchema) return this.knownSchema;
    const { reader, close } = await this.open(o.signal);
    try {
      this.knownSchema = reader.schema;
      return this.knownSchema;
    } finally {
      close();
    }
  }

  async *read(o: ReadOptions = {}): AsyncGenerator<RecordBatch> {
    const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new SpecError(`${this.description}: batchSize ${JSON.stringify(batchSize)} is not a positive integer`);
    }
    this.stats.rowsRead = 0;
    const { reader, close } = await this.open(o.signal);
    try {
      this.knownSchema ??= reader.schema;
      for (;;) {
        let r: IteratorResult<RecordBatch>;
        try {
          r = await reader.next();
        } catch (err) {
          throw this.translate(err, o.signal);
        }
        if (r.done) break;
        const batch = r.value;
        for (let at = 0; at < batch.numRows; at += batchSize) {
          const part = at === 0 && batch.numRows <= batchSize ? batch : batch.slice(at, Math.min(batch.numRows, at + batchSize));
          this.stats.rowsRead += part.numRows;
          yield part;
          if (o.signal?.aborted) throw new AbortedError(`reading ${this.options.path} was aborted`, { cause: o.signal.reason });
        }
      }
    } finally {
      close();
    }
  }

  private async open(signal: AbortSignal | undefined) {
    const p = this.options.path;
    if (signal?.aborted) throw new AbortedError(`reading ${p} was aborted`, { cause: signal.reason });
    let close = () => {};
    try {
      let reader: AsyncRecordBatchReader;
      if (this.openRead === undefined) {
        const handle = await openLocal(this.options.location);
        close = () => void handle.close().catch(() => {});
        reader = await RecordBatchReader.from(handle);
        await reader.open();
      } else {
        const stream = await this.openRead(this.options.location, { signal });
        close = () => stream.destroy();
        try {
          reader = await RecordBatchReader.from(ipcStreamBytes(stream));
          await reader.open();
        } catch (err) {
          if (!String((err as Error).message).includes('Expected Schema Message')) throw err;
          close();
          const whole = await this.openRead(this.options.location, { signal });
          close = () => whole.destroy();
          reader = await RecordBatchReader.from(await buffer(whole) as Uint8Array) as unknown as AsyncRecordBatchReader;
          await reader.open();
        }
      }
      if (reader.schema === undefined) throw new BadInputError(`${p}: the file is empty; expected an Arrow IPC file or stream`);
      return { reader, close };
    } catch (err) {
      close();
      throw this.translate(err, signal);
    }
  }

  private translate(err: unknown, signal: AbortSignal | undefined): Error {
    const p = this.options.path;
    if (signal?.aborted) return new AbortedError(`reading ${p} was aborted`, { cause: err });
    if (err instanceof SluiceError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) return new SluiceError('IO', `cannot read ${p}: ${(err as Error).message}`, { cause: err, retryable: true });
    return new BadInputError(`${p}: not a readable Arrow IPC file or stream: ${(err as Error).message}`, { cause: err });
  }
}
