import { makeData, RecordBatch, Schema, Struct, tableFromIPC } from 'apache-arrow';
import type { Data, Field } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { AbortedError, BadInputError, NotFoundError, SluiceError, SpecError } from '../../src/index.js';
import type { ReadOptions, Source, SourceStats } from '../../src/index.js';
import { localFileAccess } from './file-access.js';
import type { ParquetFileAccess } from './file-access.js';
import { listDataFiles } from './hive-tree.js';
import type { DataFile } from './hive-tree.js';
import { constantColumn, levelValue, mayPassFilters, partitionColumns } from './partition-columns.js';
import type { PartitionColumn } from './partition-columns.js';
import type { ParquetSourceOptions } from './parquet-options.js';
import { mayHoldWindow } from './time-pruning.js';

/** Rows per batch when `read()` is not told otherwise. */
export const DEFAULT_BATCH_SIZE = 65_536;

/** The files of a read and the columns added from their directories. */
interface Dataset {
  files: DataFile[];
  partitions: PartitionColumn[];
  /** Whether `location` is a directory. */
  isDirectory: boolean;
}

const sameFields = (a: readonly Field[], b: readonly Field[]) =>
  a.length === b.length && a.every((f, i) => f.name === b[i]!.name && String(f.type) === String(b[i]!.type));

/**
 * A Parquet {@link Source}: one file, or a directory of files (sorted, hidden `.x`/`_x` names skipped) that may be
 * Hive-partitioned (`a=1/b=x/part-0.parquet`). Directory levels become columns after the file's own (decoded;
 * `__HIVE_DEFAULT_PARTITION__` is null; `year`..`second` are int32, all-integer values int64, the rest strings;
 * a column the files themselves hold is not added again). With a time window on the spec, directories whose
 * `year/month/...` range cannot meet `start < t <= end` are not descended into, and files whose partition
 * values fail an `additional_filters` entry (`= == != in "not in"`) are not opened. Files are read through
 * ranged reads one row group at a time, in batches of at most `batchSize` rows.
 *
 * @example
 * const src = new ParquetSource(parseParquetSourceOptions(new DataSource({ kind: 'parquet', path: 'data/sales' })));
 */
export class ParquetSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  /** Files opened by the latest `read()`, in order (pruned files are never opened). */
  readonly filesRead: string[] = [];
  private knownSchema: Schema | undefined;
  private partitions: PartitionColumn[] | undefined;
  /** The columns of the dataset's first file, which every file must have. */
  private fileFields: { fields: Field[]; file: string } | undefined;

  constructor(readonly options: ParquetSourceOptions, private readonly access: ParquetFileAccess = localFileAccess) {
    this.description = `parquet ${options.path}`;
  }

  async schema(o: { signal?: AbortSignal } = {}): Promise<Schema> {
    if (this.knownSchema) return this.knownSchema;
    const all = await this.dataset(false, o.signal);
    // The schema comes from a file a read opens (pruned files may be anything), else from the first file.
    const kept = all.isDirectory ? (await this.dataset(true, o.signal)).files : all.files;
    const first = kept[0] ?? all.files[0];
    if (!first) throw new NotFoundError(`${this.description}: the directory holds no data files`);
    const file = await this.openFile(first, o.signal);
    try {
      const own = tableFromIPC(file.schema().intoIPCStream()).schema;
      this.fileFields = { fields: own.fields, file: first.relPath || this.options.path };
      this.knownSchema = this.withPartitions(own, all.partitions);
      return this.knownSchema;
    } finally {
      file.free();
    }
  }

  async *read(o: ReadOptions = {}): AsyncGenerator<RecordBatch> {
    const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new SpecError(`${this.description}: batchSize ${JSON.stringify(batchSize)} is not a positive integer`);
    }
    this.stats.rowsRead = 0;
    this.filesRead.length = 0;
    const schema = await this.schema(o);
    const { files, partitions } = await this.dataset(true, o.signal);
    const expected = this.fileFields!;
    for (const f of files) {
      this.checkAbort(o.signal);
      const file = await this.openFile(f, o.signal);
      this.filesRead.push(f.path);
      let stream: ReadableStreamDefaultReader<pq.RecordBatch> | undefined;
      try {
        const own = tableFromIPC(file.schema().intoIPCStream()).schema.fields;
        if (!sameFields(expected.fields, own)) {
          const show = (fs: readonly Field[]) => fs.map((x) => `${x.name}: ${String(x.type)}`).join(', ');
          throw new BadInputError(`${this.description}: file ${f.relPath} has columns (${show(own)}) but ${expected.file} has (${show(expected.fields)}); every file of a dataset needs the same columns`);
        }
        const added = partitions.filter((p) => !own.some((x) => x.name === p.name));
        stream = (await file.stream({ batchSize })).getReader() as ReadableStreamDefaultReader<pq.RecordBatch>;
        for (;;) {
          const r = await stream.read().catch((err: unknown) => {
            throw this.translate(err, f, o.signal);
          });
          if (r.done) break;
          for (const b of tableFromIPC(r.value.intoIPCStream()).batches) {
            if (b.numRows === 0) continue;
            const cols: Data[] = [...(b.data.children as Data[]), ...added.map((p) => constantColumn(p, levelValue(f.levels, p.name), b.numRows))];
            const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: b.numRows, nullCount: 0, children: cols }));
            this.stats.rowsRead += batch.numRows;
            yield batch;
            this.checkAbort(o.signal);
          }
        }
      } finally {
        await stream?.cancel().catch(() => {});
        file.free();
      }
    }
  }

  private withPartitions(fileSchema: Schema, partitions: readonly PartitionColumn[]): Schema {
    const extra = partitions.filter((p) => !fileSchema.fields.some((f) => f.name === p.name)).map((p) => p.field);
    return new Schema([...fileSchema.fields, ...extra], fileSchema.metadata);
  }

  /**
   * The data files, all of them or (`prune`) those pruning keeps. Partition column types come from the whole
   * tree, walked once per source (by the first `schema()`), so that they do not change with the time window.
   */
  private async dataset(prune: boolean, signal?: AbortSignal): Promise<Dataset> {
    const o = this.options;
    const top = await this.access.stat(o.location, { signal });
    if (!top) throw new NotFoundError(`${this.description}: no file or directory at ${o.location}`);
    if (!top.isDirectory) return { files: [{ path: o.location, relPath: '', levels: [] }], partitions: [], isDirectory: false };
    if (!prune || !this.partitions) {
      const all = await listDataFiles(this.access, o.location, () => true, signal);
      this.partitions = partitionColumns(all);
      if (!prune) return { files: all, partitions: this.partitions, isDirectory: true };
    }
    const partitions = this.partitions;
    const window = o.timeField !== undefined;
    const files = await listDataFiles(this.access, o.location, (levels) => !window || mayHoldWindow(levels, o.startTime, o.endTime), signal);
    const byName = new Map(partitions.map((p) => [p.name, p]));
    return { files: files.filter((f) => mayPassFilters(f.levels, o.filters, byName)), partitions, isDirectory: true };
  }

  private async openFile(f: DataFile, signal?: AbortSignal): Promise<pq.ParquetFile> {
    this.checkAbort(signal);
    try {
      return await pq.ParquetFile.fromFile((await this.access.openBlob(f.path, { signal })) as Blob);
    } catch (err) {
      throw this.translate(err, f, signal);
    }
  }

  private checkAbort(signal?: AbortSignal): void {
    if (signal?.aborted) throw new AbortedError(`reading ${this.description} was aborted`, { cause: signal.reason });
  }

  private translate(err: unknown, f: DataFile, signal?: AbortSignal): Error {
    const where = f.relPath ? `${this.description}: file ${f.relPath}` : this.description;
    if (signal?.aborted) return new AbortedError(`reading ${this.description} was aborted`, { cause: err });
    if (err instanceof SluiceError) return err;
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return new NotFoundError(`${where}: file not found`, { cause: err });
    if (code !== undefined) return new SluiceError('IO', `${where}: cannot read: ${(err as Error).message}`, { cause: err, retryable: true });
    return new BadInputError(`${where}: not a readable Parquet file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
