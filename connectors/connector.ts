import type { ConnectorModule, DataTargetBase, TargetCapabilities, FileFormat, FileSystem, Notifier, TargetContext, TargetWriter } from '../src/index.js';

/** Options a file-system connector gets: the target's or source's storage options and credentials. */
export interface FileSystemContext {
  storageOptions?: Record<string, unknown>;
  credentialsPrefix?: string;
  secrets?: { get(key: string): string | undefined };
}

/**
 * Everything a connector module may export (ARCHITECTURE: `{ kind, parseSpec, createSource?, createTarget?,
 * createFileSystem?, createNotifier? }`), plus `fileFormat` for the file target kinds.
 */
export interface Connector extends ConnectorModule {
  /** The format a partitioned file target of this kind writes. */
  fileFormat?: FileFormat;
  /** What a non-file target kind can do (default: appends, not transactional). */
  targetCapabilities?: TargetCapabilities;
  /** A writer for a non-file target kind (the online store). */
  createTarget?(target: DataTargetBase, ctx: TargetContext): Promise<TargetWriter> | TargetWriter;
  /** A file system for a URL scheme (`s3`). */
  createFileSystem?(path: string, ctx: FileSystemContext): Promise<FileSystem> | FileSystem;
  /** A notifier for a notification kind (`webhook`). */
  createNotifier?(): Notifier;
}
