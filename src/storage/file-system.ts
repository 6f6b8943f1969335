/**
 * The storage interface every target writer and file source goes through. Implementations: the local file
 * system (src/storage) and S3 (connectors/s3); both pass test/contract/file-system.contract.ts.
 *
 * Paths are strings in the implementation's own form (a plain path or `file://` URL locally, `s3://bucket/key`
 * on S3). Paths an implementation returns (`FileStat.path`) are built with its {@link FileSystem.join} from
 * the path the caller passed, so they can be handed back to it unchanged.
 */
import type { Readable } from 'node:stream';

/** What `stat` and `list` report about one file or directory. */
export interface FileStat {
  /** The path, in the same form as the one the caller passed (or `join(prefix, name)` for `list`). */
  path: string;
  /** Size in bytes; 0 for a directory. */
  size: number;
  /** Last modification time. */
  mtime: Date;
  isDirectory: boolean;
}

/**
 * What an implementation can do; callers branch on these instead of on the implementation's class.
 * - `atomicRename`: `rename` replaces `to` in one step (local disk); otherwise it is copy + delete.
 * - `rangedReads`: `read(path, { range })` fetches only the range instead of the whole object.
 * - `appendInPlace`: an existing file can grow without being rewritten.
 */
export interface FileSystemCapabilities {
  readonly atomicRename: boolean;
  readonly rangedReads: boolean;
  readonly appendInPlace: boolean;
}

/** Options every method takes. An already-aborted signal makes the call reject with an `AbortedError`. */
export interface SignalOptions {
  signal?: AbortSignal;
}

/** A byte range: `start` inclusive, `end` exclusive. An `end` past the end of the file is clamped to it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ListOptions extends SignalOptions {
  /** Walk sub-directories; then only files are reported. Default false: files and directories one level down. */
  recursive?: boolean;
  /** Report names starting with `.` (staging files); default false. */
  includeHidden?: boolean;
}

export interface ReadOptions extends SignalOptions {
  range?: ByteRange;
}

/** What a write produced. */
export interface WriteResult {
  /** Bytes written. */
  size: number;
}

/** The body of {@link FileSystem.write}: bytes, UTF-8 text, or chunks (a Node `Readable` is accepted). */
export type WriteBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/**
 * A file being written in chunks. Memory stays bounded: each `write` resolves once the chunk is handed off
 * (to disk, or to an upload part), so awaiting each call is the back-pressure. The file appears under its
 * path only when `close()` resolves; `abort()` (or a crash) leaves nothing under the path.
 */
export interface FileWriter {
  /** Appends a chunk. Rejects after `close()`/`abort()`, or with an `AbortedError` once the signal aborted. */
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes and publishes the file under its path, replacing any previous file there. */
  close(): Promise<WriteResult>;
  /** Discards what was written; idempotent; never throws for a writer that already failed. */
  abort(): Promise<void>;
  /** Bytes accepted by `write` calls that have resolved. */
  readonly bytesWritten: number;
}

/** A file system: local disk or an object store. Every method also takes `{ signal }`. */
export interface FileSystem {
  /** `file` for the local file system, `s3` for S3. */
  readonly scheme: string;
  readonly capabilities: FileSystemCapabilities;

  /** The file or directory at `path`, or `undefined` when there is none. */
  stat(path: string, o?: SignalOptions): Promise<FileStat | undefined>;
  /**
   * Entries under the directory `prefix`, sorted by path. A missing directory lists as empty. Names starting
   * with `.` are skipped (and not descended into) unless `includeHidden`.
   */
  list(prefix: string, o?: ListOptions): AsyncIterable<FileStat>;
  /** The whole file, or `range` of it. A missing file rejects with a `NotFoundError` naming the path. */
  read(path: string, o?: ReadOptions): Promise<Uint8Array>;
  /** A stream of the file (or `range` of it). Rejects at once, not on the stream, when the file is missing. */
  openRead(path: string, o?: ReadOptions): Promise<Readable>;
  /** Writes the whole file; it is visible under `path` only when complete. Parents are created. */
  write(path: string, body: WriteBody, o?: SignalOptions): Promise<WriteResult>;
  /** A writer that publishes `path` at `close()`. */
  createWriter(path: string, o?: SignalOptions): Promise<FileWriter>;
  /** Moves a file, replacing `to`; atomic where `capabilities.atomicRename`. */
  rename(from: string, to: string, o?: SignalOptions): Promise<void>;
  /** Deletes files; missing paths are not an error. */
  delete(paths: string | string[], o?: SignalOptions): Promise<void>;
  /**
   * Deletes everything under the directory `prefix` (not siblings that merely share the prefix string) and
   * returns how many files went. Refuses `''` and `/` (the root) with a `SpecError`.
   */
  deletePrefix(prefix: string, o?: SignalOptions): Promise<number>;

  /** Joins path parts in this file system's form (keeps a `file://` or `s3://bucket` head). */
  join(...parts: string[]): string;
  dirname(path: string): string;
  basename(path: string): string;
}
