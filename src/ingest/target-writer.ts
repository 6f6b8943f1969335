import type { RecordBatch, Schema } from 'apache-arrow';
import type { FileSystem } from '../storage/file-system.js';

/** One data file a target committed, as listed in `_manifests/<run_id>.json`. */
export interface ManifestFile {
  /** Path relative to the target's root directory. */
  path: string;
  /** Partition values by level name (`hash16_key`, `country`, `year`, ...). */
  partition: Record<string, string | null>;
  rows: number;
  bytes: number;
  /** Event-time range of the rows (ISO-8601), when the target has a time field. */
  min_event_time?: string;
  max_event_time?: string;
}

/** What a target reports after commit; it becomes the feature set's `DataTarget` status entry. */
export interface CommitResult {
  rows: number;
  bytes: number;
  files: ManifestFile[];
  /** The newest event time written (the incremental-ingestion watermark), when known. */
  lastWritten?: Date;
}

/**
 * A target being written by one run. `write` may buffer; `commit` makes everything visible and durable (files
 * under final names, then the manifest, then `_SUCCESS`); `abort` leaves the target as it was before the run.
 */
export interface TargetWriter {
  write(batch: RecordBatch, o?: { signal?: AbortSignal }): Promise<void>;
  commit(o?: { signal?: AbortSignal }): Promise<CommitResult>;
  abort(reason: unknown): Promise<void>;
}

/** One open data file of a file-format target: row groups (or rows) are appended until it is closed. */
export interface FileFormatWriter {
  /** Appends the batch: a Parquet row group, or CSV rows. */
  append(batch: RecordBatch): Promise<void>;
  /** Finishes the file and makes it visible under its final path. */
  close(): Promise<{ bytes: number }>;
  /** Discards the file: nothing is left under its final path. */
  abort(): Promise<void>;
  /** Bytes handed to the file system so far (for rolling at `max_file_bytes`). */
  readonly bytesWritten: number;
  /** Bytes the writer holds in memory, not yet written (a Parquet row group being filled); counted in `max_buffered_bytes`. */
  readonly pendingBytes?: number;
}

/** Options a file format takes from the target's `attributes`, already validated by the format. */
export type FormatOptions = Record<string, unknown>;

/** A file format a partitioned file target writes (Parquet, CSV). */
export interface FileFormat {
  readonly kind: string;
  /** File name extension without the dot. */
  readonly extension: string;
  /** The target `attributes` keys the format parses (`compression`, ...); the ingestion plan refuses others. */
  readonly settings?: readonly string[];
  /** Validates the format's settings in the target's `attributes` (compression, ...); throws a SpecError. */
  parseOptions(attributes: Record<string, unknown>): FormatOptions;
  /** Opens a new file at `path` (visible only when closed). */
  open(fs: FileSystem, path: string, schema: Schema, options: FormatOptions): Promise<FileFormatWriter>;
  /**
   * Optional: a file whose rows all arrive before it closes (a partition flushed whole at commit), encoded in one
   * go at close, which is cheaper than a stream for small files.
   */
  openWhole?(fs: FileSystem, path: string, schema: Schema, options: FormatOptions): Promise<FileFormatWriter>;
}
