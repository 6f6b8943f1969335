/**
 * The `parquet` connector: a source over one Parquet file or a (Hive-partitioned) directory of them, with
 * partition pruning. Loaded lazily by `connectors/registry.ts`.
 *
 * @example
 * const { connector } = await import('./connectors/parquet/index.js');
 * const src = connector.createSource!(new DataSource({ kind: 'parquet', path: 'data/sales', timeField: 'ts' }));
 */
import type { ConnectorModule, DataSource, FileFormat, SourceContext } from '../../src/index.js';
import { parquetFormat } from './parquet-format.js';
import { fileSystemAccess, localFileAccess } from './file-access.js';
import type { RangedFileSystem } from './file-access.js';
import { parseParquetSourceOptions } from './parquet-options.js';
import { ParquetSource } from './parquet-source.js';

/** A source context that may also carry a `FileSystem` (ranged reads); parquet cannot read through `openRead`. */
export type ParquetSourceContext = SourceContext & { fileSystem?: RangedFileSystem };

export { ParquetSource, DEFAULT_BATCH_SIZE } from './parquet-source.js';
export { parseParquetSourceOptions } from './parquet-options.js';
export type { ParquetSourceOptions } from './parquet-options.js';
export { localFileAccess, rangedBlob, fileSystemAccess } from './file-access.js';
export type { BlobLike, EntryInfo, ParquetFileAccess, RangedFileSystem } from './file-access.js';
export { listDataFiles, isHiddenName, hiveLevelOf } from './hive-tree.js';
export type { DataFile, DirectoryFilter } from './hive-tree.js';
export { partitionColumns, constantColumn, mayPassFilters } from './partition-columns.js';
export type { PartitionColumn } from './partition-columns.js';
export { timeRangeOf, mayHoldWindow, TIME_LEVELS } from './time-pruning.js';
export { parquetFormat, parseParquetOptions } from './parquet-format.js';
export type { ParquetOptions } from './parquet-format.js';

/** The source `attributes` keys this connector parses (the ingestion plan refuses others; the typed options use them). */
export const PARQUET_SOURCE_SETTINGS = [] as const;

/**
 * The parquet connector module: the Parquet file format of targets, and a source that reads local files, or any store whose `FileSystem` comes in
 * `ctx.fileSystem` (a stream-only `openRead` cannot serve ranged reads).
 */
export const connector: ConnectorModule & { fileFormat: FileFormat } = {
  kind: 'parquet',
  fileFormat: parquetFormat,
  sourceSettings: PARQUET_SOURCE_SETTINGS,
  parseSpec: (spec: DataSource) => parseParquetSourceOptions(spec),
  createSource: (spec: DataSource, ctx: ParquetSourceContext = {}) =>
    new ParquetSource(parseParquetSourceOptions(spec, ctx.cwd), ctx.fileSystem ? fileSystemAccess(ctx.fileSystem) : localFileAccess),
};
