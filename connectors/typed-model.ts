/**
 * The model classes as the package entry (`sluice`) types them: a source's and a target's `kind` is one of the
 * built-in kinds, and its `attributes` may hold only the keys the core and that kind's connector parse. The key
 * lists are the same constants the ingestion plan checks at run time (`sourceSettings`, `FileFormat.settings`,
 * `targetSettings`, `CORE_*_KEYS`), so a typo fails to compile in TypeScript and is refused from YAML alike.
 * The classes are the core's own (same prototype, same statics); only the constructor options are narrower.
 * Other kinds (a connector of your own) are built through `sluice/internal`.
 *
 * @example
 * new DataTargetBase({ kind: 'parquet', path: 'lake/tx/', attributes: { compression: 'zstd' } }); // compiles
 * new DataTargetBase({ kind: 'parquett' });                                                      // does not
 */
import { DataSource as CoreDataSource, DataTargetBase as CoreDataTargetBase, FeatureSet as CoreFeatureSet } from '../src/index.js';
import type { CORE_FILE_TARGET_KEYS, CORE_SOURCE_KEYS, DataSourceOptions, DataTargetBaseOptions, FeatureSetOptions } from '../src/index.js';
import type { ARROW_SOURCE_SETTINGS } from './arrow-ipc/index.js';
import type { CSV_SOURCE_SETTINGS } from './csv/index.js';
import type { CSV_TARGET_SETTINGS } from './csv/csv-format.js';
import type { DATAFRAME_SOURCE_SETTINGS } from './dataframe/index.js';
import type { JSONL_SOURCE_SETTINGS } from './jsonl/index.js';
import type { PARQUET_SOURCE_SETTINGS } from './parquet/index.js';
import type { PARQUET_TARGET_SETTINGS } from './parquet/parquet-format.js';
import type { SQL_SOURCE_SETTINGS } from './postgres/index.js';
import type { REDIS_ATTRIBUTES } from './redis/redis-settings.js';
import type { STREAM_ATTRIBUTES } from './redis/stream/stream-options.js';

type Keys<T extends readonly string[]> = T[number];
/** An `attributes` map that holds only these keys. */
export type Attributes<K extends string> = { [P in K]?: unknown };

/** The `attributes` keys of each source kind (besides the core's: filters, storage options, batch size, schedule). */
export interface SourceKindSettings {
  csv: Keys<typeof CSV_SOURCE_SETTINGS>;
  jsonl: Keys<typeof JSONL_SOURCE_SETTINGS>;
  parquet: Keys<typeof PARQUET_SOURCE_SETTINGS>;
  arrow: Keys<typeof ARROW_SOURCE_SETTINGS>;
  dataframe: Keys<typeof DATAFRAME_SOURCE_SETTINGS>;
  sql: Keys<typeof SQL_SOURCE_SETTINGS>;
  sqldb: Keys<typeof SQL_SOURCE_SETTINGS>;
  'redis-stream': Keys<typeof STREAM_ATTRIBUTES>;
}

/** The `attributes` keys of each target kind (file targets also take the core's bounds). */
export interface TargetKindSettings {
  parquet: Keys<typeof PARQUET_TARGET_SETTINGS> | Keys<typeof CORE_FILE_TARGET_KEYS>;
  csv: Keys<typeof CSV_TARGET_SETTINGS> | Keys<typeof CORE_FILE_TARGET_KEYS>;
  redisnosql: Keys<typeof REDIS_ATTRIBUTES>;
  redis: Keys<typeof REDIS_ATTRIBUTES>;
}

export type SourceKind = keyof SourceKindSettings;
export type TargetKind = keyof TargetKindSettings;

/** `DataSource` options with the kind checked and its attributes typed. */
export type SourceOptions = {
  [K in SourceKind]: Omit<DataSourceOptions, 'kind' | 'attributes'> & { kind: K; attributes?: Attributes<SourceKindSettings[K] | Keys<typeof CORE_SOURCE_KEYS>> };
}[SourceKind];

/** `DataTargetBase` options with the kind checked and its attributes typed. */
export type TargetOptions = {
  [K in TargetKind]: Omit<DataTargetBaseOptions, 'kind' | 'attributes'> & { kind: K; attributes?: Attributes<TargetKindSettings[K]> };
}[TargetKind];

/** `FeatureSet` options whose source and targets, as instances or option objects, are typed. */
export type TypedFeatureSetOptions = Omit<FeatureSetOptions, 'source' | 'targets'> & {
  source?: CoreDataSource | SourceOptions;
  targets?: Array<CoreDataTargetBase | TargetOptions>;
};

type Statics<C> = Omit<C, 'prototype'>;

/** A data source spec (MLRun's `DataSource`); `kind` and `attributes` typed by {@link SourceOptions}. */
export const DataSource = CoreDataSource as unknown as Statics<typeof CoreDataSource> & { new (options?: SourceOptions): CoreDataSource; prototype: CoreDataSource };
export type DataSource = CoreDataSource;

/** A target spec (MLRun's `DataTargetBase`); `kind` and `attributes` typed by {@link TargetOptions}. */
export const DataTargetBase = CoreDataTargetBase as unknown as Statics<typeof CoreDataTargetBase> & { new (options?: TargetOptions): CoreDataTargetBase; prototype: CoreDataTargetBase };
export type DataTargetBase = CoreDataTargetBase;

/** A feature set (MLRun's `FeatureSet`); its source and targets typed as above. */
export const FeatureSet = CoreFeatureSet as unknown as Statics<typeof CoreFeatureSet> & { new (options?: TypedFeatureSetOptions): CoreFeatureSet; prototype: CoreFeatureSet };
export type FeatureSet = CoreFeatureSet;
