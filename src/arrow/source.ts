import type { Readable } from 'node:stream';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { DataSource } from '../model/data-source.js';
import type { ColumnSpec } from './column-types.js';

/** Options for {@link Source.read}. */
export interface ReadOptions {
  /** Stops the read promptly; the iterator then throws an `AbortedError`. */
  signal?: AbortSignal;
  /** Upper bound on the rows of one yielded batch (default 65,536). */
  batchSize?: number;
}

/** Counts a source keeps for its latest `read()`: rows yielded, and bad rows skipped or quarantined. */
export interface SourceStats {
  rowsRead: number;
  rowsSkipped: number;
  rowsQuarantined: number;
}

/**
 * A reader of one data source. `read()` yields Arrow record batches of at most `batchSize` rows, with the
 * schema `schema()` returns, holding memory bounded by the batch size and never by the input size.
 *
 * @example
 * for await (const batch of source.read({ batchSize: 10_000, signal })) console.log(batch.numRows);
 */
export interface Source {
  /** Human-readable name of what is read, e.g. `csv file data/events.csv`. */
  readonly description: string;
  /** Row counts of the latest `read()`, when the source keeps them. */
  readonly stats?: SourceStats;
  /** The schema of the batches `read()` yields (declared, or inferred from the first rows). */
  schema(o?: { signal?: AbortSignal }): Promise<Schema>;
  /** Streams the data; every call starts again from the beginning (a stream source: from its last commit). */
  read(o?: ReadOptions): AsyncIterable<RecordBatch>;
  /**
   * Called once every target has committed what the last `read()` yielded; a stream source acknowledges its
   * entries here, so nothing is acknowledged that is not durable. Not called when the run fails.
   */
  commit?(o?: { signal?: AbortSignal }): Promise<void>;
}

/** Opens a file for reading as a byte stream; pluggable so that other file systems (S3) can serve paths. */
export type OpenRead = (path: string, o?: { signal?: AbortSignal }) => Promise<Readable>;

/** What a connector may use from its surroundings when it builds a source. */
export interface SourceContext {
  /** Secrets by reference; values never appear in logs or errors. */
  secrets?: { get(key: string): string | undefined };
  /** Directory that relative paths are resolved against (default: the process's working directory). */
  cwd?: string;
  /** Opens file paths; defaults to the local file system. */
  openRead?: OpenRead;
  /** The feature set being ingested (a stream source names its consumer group after it). */
  featureSetName?: string;
  /**
   * Column types the feature set declares (entities' and features' `value_type`): a text source reads these
   * columns with these types instead of inferring them; its own `attributes.schema` wins.
   */
  columnTypes?: Record<string, ColumnSpec>;
  /** The entity key columns: a text source treats a row with an empty key as a bad row (file, line, column). */
  keyFields?: string[];
  /** The event-time column: a text source treats a row with an empty time as a bad row (file, line, column). */
  timeField?: string;
}

/**
 * What a connector module exports (connectors/<kind>/index.ts). `connectors/registry.ts` imports it lazily
 * by kind; nothing registers itself on import.
 */
export interface ConnectorModule {
  /** The `DataSource.kind` (or target kind) the module serves, e.g. `csv`. */
  readonly kind: string;
  /**
   * The source `attributes` keys this connector parses; the ingestion plan refuses keys that neither the core nor
   * the connector owns. Omitted: the connector reads no attributes.
   */
  readonly sourceSettings?: readonly string[];
  /** The same for a target of this kind that is not a file target (the online store). */
  readonly targetSettings?: readonly string[];
  /** Validates the kind-specific settings once, at the edge; throws a `SpecError` naming the bad key. */
  parseSpec?(spec: DataSource): unknown;
  /** Builds a source for a data source spec. */
  createSource?(spec: DataSource, ctx?: SourceContext): Source;
}
