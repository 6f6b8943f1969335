import type { FileFormat } from './target-writer.js';

/** What a target kind can do: the core decides by these flags, never by kind names. */
export interface TargetCapabilities {
  /** Writes files through a {@link FileFormat}: a partitioned directory, or one file (`.parquet`, `.csv`, ...). */
  readonly files: boolean;
  /** Can add rows to what earlier runs wrote (`overwrite: false`). */
  readonly append: boolean;
  /** Nothing of a run is visible before its commit; false for the online store, where sent rows stay. */
  readonly transactional: boolean;
}

/** A target kind as its connector describes it. */
export interface TargetKind {
  /** The canonical kind (`redisnosql` for the alias `redis`). */
  readonly kind: string;
  readonly capabilities: TargetCapabilities;
  /** The `attributes` keys the connector parses; the core adds its own for file targets. */
  readonly settings: readonly string[];
  /** The file format, set exactly when `capabilities.files`. */
  readonly fileFormat?: FileFormat;
}

/** The capabilities of every file target (Parquet, CSV): files made visible at commit, appends allowed. */
export const FILE_TARGET_CAPABILITIES: TargetCapabilities = Object.freeze({ files: true, append: true, transactional: true });
