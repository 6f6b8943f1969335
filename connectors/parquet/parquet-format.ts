import * as pq from 'parquet-wasm';
import { Table, tableToIPC } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import { SpecError } from '../../src/index.js';
import type { FileFormat, FileFormatWriter, FileSystem, FileWriter, FormatOptions } from '../../src/index.js';

const COMPRESSIONS = {
  snappy: pq.Compression.SNAPPY,
  zstd: pq.Compression.ZSTD,
  gzip: pq.Compression.GZIP,
  none: pq.Compression.UNCOMPRESSED,
} as const;
type CompressionName = keyof typeof COMPRESSIONS;

/** Parquet target settings from `attributes`. */
export interface ParquetOptions {
  compression: CompressionName;
  /** Rows per row group at most (default 122,880, DuckDB's). */
  rowGroupSize: number;
}

/** Largest `attributes.row_group_size` (as `max_events`). */
const MAX_ROW_GROUP_SIZE = 10_000_000;

/** The target `attributes` keys the Parquet format parses. */
export const PARQUET_TARGET_SETTINGS = ['compression', 'row_group_size'] as const;

/** Reads and checks `attributes.compression` and `attributes.row_group_size`. */
export function parseParquetOptions(attributes: Record<string, unknown>): ParquetOptions {
  const c = attributes.compression ?? 'snappy';
  if (typeof c !== 'string' || !(c in COMPRESSIONS)) {
    throw new SpecError(`parquet target attributes.compression: ${JSON.stringify(c)} is not supported; use one of ${Object.keys(COMPRESSIONS).join(', ')}`);
  }
  const r = attributes.row_group_size ?? 122_880;
  // parquet-wasm takes a usize: a larger number traps inside WebAssembly ("unreachable") instead of failing here.
  if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1 || r > MAX_ROW_GROUP_SIZE) {
    throw new SpecError(`parquet target attributes.row_group_size: ${JSON.stringify(r)} is not an integer in 1..10,000,000`);
  }
  return { compression: c as CompressionName, rowGroupSize: r };
}

/**
 * One Parquet file written as a stream: each appended batch goes through parquet-wasm's streaming writer, which
 * emits a row group whenever `rowGroupSize` rows are buffered; the bytes go to a {@link FileWriter}, which makes
 * the file visible under its final path only at close. Arrow types are written exactly (timestamps keep their
 * unit and time zone through the embedded Arrow schema).
 */
class ParquetFileWriter implements FileFormatWriter {
  private controller!: ReadableStreamDefaultController<pq.RecordBatch>;
  private readonly input: ReadableStream<pq.RecordBatch>;
  private pump: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failure: unknown;
  /** Arrow bytes appended since the writer last emitted output: counted so rolling does not lag a row group. */
  private pending = 0;

  constructor(
    private readonly out: FileWriter,
    private readonly props: () => pq.WriterProperties,
  ) {
    this.input = new ReadableStream<pq.RecordBatch>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => {
          this.wake?.();
          this.wake = undefined;
        },
      },
      { highWaterMark: 4 },
    );
  }

  get bytesWritten(): number {
    return this.out.bytesWritten + this.pending;
  }

  get pendingBytes(): number {
    return this.pending;
  }

  async append(batch: RecordBatch): Promise<void> {
    if (this.failure) throw this.failure;
    const ipc = tableToIPC(new Table(batch), 'stream');
    this.pending += ipc.byteLength;
    const wasm = pq.Table.fromIPCStream(ipc);
    for (const b of wasm.recordBatches()) this.controller.enqueue(b);
    wasm.free();
    if (!this.pump) this.pump = this.startPump();
    while ((this.controller.desiredSize ?? 1) <= 0 && !this.failure) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure) throw this.failure;
  }

  private async startPump(): Promise<void> {
    try {
      const output = await pq.transformParquetStream(this.input, this.props());
      const reader = (output as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Hand the file system its own copy: an S3 writer keeps chunks until a part is full.
        await this.out.write(value.slice());
        this.pending = 0;
      }
    } catch (err) {
      this.failure = err;
      this.wake?.();
      throw err;
    }
  }

  async close(): Promise<{ bytes: number }> {
    this.controller.close();
    if (this.pump) await this.pump;
    const { size } = await this.out.close();
    return { bytes: size };
  }

  async abort(): Promise<void> {
    try {
      this.controller.error(new Error('aborted'));
    } catch {
      // already closed or errored
    }
    await this.pump?.catch(() => undefined);
    await this.out.abort();
  }
}

/** A Parquet file whose rows all arrive before close: encoded in one `writeParquet` call, written in one go. */
class WholeParquetFile implements FileFormatWriter {
  private readonly batches: RecordBatch[] = [];
  private pending = 0;

  constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
    private readonly props: () => pq.WriterProperties,
  ) {}

  get bytesWritten(): number {
    return this.pending;
  }

  get pendingBytes(): number {
    return this.pending;
  }

  async append(batch: RecordBatch): Promise<void> {
    this.batches.push(batch);
    this.pending += batch.numRows * batch.numCols * 8;
  }

  async close(): Promise<{ bytes: number }> {
    const wasm = pq.Table.fromIPCStream(tableToIPC(new Table(this.batches), 'stream'));
    const bytes = pq.writeParquet(wasm, this.props());
    this.batches.length = 0;
    const { size } = await this.fs.write(this.path, bytes);
    return { bytes: size };
  }

  async abort(): Promise<void> {
    this.batches.length = 0;
  }
}

function writerProperties(o: ParquetOptions): pq.WriterProperties {
  return new pq.WriterPropertiesBuilder().setCompression(COMPRESSIONS[o.compression]).setMaxRowGroupSize(o.rowGroupSize).setCreatedBy('sluice').build();
}

/** The Parquet file format of file targets. */
export const parquetFormat: FileFormat = {
  kind: 'parquet',
  settings: PARQUET_TARGET_SETTINGS,
  extension: 'parquet',
  parseOptions: (attributes) => parseParquetOptions(attributes) as unknown as FormatOptions,
  async open(fs: FileSystem, path: string, _schema: Schema, options: FormatOptions): Promise<FileFormatWriter> {
    const o = options as unknown as ParquetOptions;
    const out = await fs.createWriter(path);
    const props = () => writerProperties(o);
    return new ParquetFileWriter(out, props);
  },
  async openWhole(fs: FileSystem, path: string, _schema: Schema, options: FormatOptions): Promise<FileFormatWriter> {
    const o = options as unknown as ParquetOptions;
    return new WholeParquetFile(fs, path, () => writerProperties(o));
  },
};
