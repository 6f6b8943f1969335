import { openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isUrl, NotSupportedError } from '../../src/index.js';

/** What `stat` and `list` tell about one entry. */
export interface EntryInfo {
  path: string;
  isDirectory: boolean;
  size: number;
}

/**
 * Byte access in the shape parquet-wasm reads through: `size`, and `slice(start, end).arrayBuffer()` for one
 * byte range. A `Blob` from `fs.openAsBlob` is one; {@link rangedBlob} makes one from any ranged read.
 */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * How the parquet source reaches files: a subset of the storage layer's `FileSystem` (stat, one-level list,
 * join) plus ranged reads as a {@link BlobLike}. {@link localFileAccess} serves local paths; an object store
 * plugs in by implementing these four functions (e.g. with {@link rangedBlob} over its ranged GET).
 */
export interface ParquetFileAccess {
  /** The entry at `path`, or undefined when there is none. */
  stat(path: string, o?: { signal?: AbortSignal }): Promise<EntryInfo | undefined>;
  /** Entries directly under the directory `path`, hidden ones included (the source skips them). */
  list(path: string, o?: { signal?: AbortSignal }): AsyncIterable<EntryInfo>;
  /** Ranged reads of one file; only the byte ranges parquet-wasm asks for are read. */
  openBlob(path: string, o?: { signal?: AbortSignal }): Promise<BlobLike>;
  join(...parts: string[]): string;
}

/**
 * A {@link BlobLike} over a function that reads `[start, end)` of a file of `size` bytes.
 * @example rangedBlob(size, (s, e) => fileSystem.read(path, { range: { start: s, end: e } }))
 */
export function rangedBlob(size: number, read: (start: number, end: number) => Promise<Uint8Array>): BlobLike {
  const make = (from: number, to: number): BlobLike => ({
    size: to - from,
    slice(start = 0, end = to - from) {
      // Blob semantics: a negative index counts from the end (parquet-wasm reads the footer with slice(-n)).
      const len = to - from;
      const rel = (x: number) => (x < 0 ? Math.max(len + x, 0) : Math.min(x, len));
      const s = from + rel(start);
      const e = Math.max(from + rel(end), s);
      return {
        async arrayBuffer() {
          const bytes = await read(s, e);
          if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
          // A copy, not `bytes.slice()`: on a Node Buffer slice() is a view of the shared pool.
          const copy = new Uint8Array(bytes.byteLength);
          copy.set(bytes);
          return copy.buffer;
        },
      };
    },
  });
  return make(0, size);
}

function local(path: string): string {
  if (isUrl(path)) throw new NotSupportedError(`${path}: local file access reads local paths only; pass a ParquetFileAccess for ${path.split(':')[0]}:// paths`);
  return path;
}

/** {@link ParquetFileAccess} on the local disk; `openBlob` is `fs.openAsBlob` (ranged reads by the OS). */
export const localFileAccess: ParquetFileAccess = {
  async stat(path) {
    try {
      const s = await stat(local(path));
      return { path, isDirectory: s.isDirectory(), size: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
  async *list(path) {
    const entries = await readdir(local(path), { withFileTypes: true });
    for (const e of entries) yield { path: join(path, e.name), isDirectory: e.isDirectory(), size: 0 };
  },
  async openBlob(path) {
    return openAsBlob(local(path));
  },
  join: (...parts) => join(...parts),
};

/** The part of the storage layer's `FileSystem` that {@link fileSystemAccess} needs. */
export interface RangedFileSystem {
  stat(path: string, o?: { signal?: AbortSignal }): Promise<EntryInfo | undefined>;
  list(prefix: string, o?: { signal?: AbortSignal; includeHidden?: boolean }): AsyncIterable<EntryInfo>;
  read(path: string, o?: { signal?: AbortSignal; range?: { start: number; end: number } }): Promise<Uint8Array>;
  join(...parts: string[]): string;
}

/**
 * {@link ParquetFileAccess} over a `FileSystem` (local or S3): files are read by byte ranges with `read(path,
 * { range })`, so only the footer and the row groups read are fetched.
 */
export function fileSystemAccess(fs: RangedFileSystem): ParquetFileAccess {
  return {
    stat: (path, o) => fs.stat(path, o),
    list: (path, o) => fs.list(path, { ...o, includeHidden: true }),
    async openBlob(path, o) {
      const s = await fs.stat(path, o);
      if (!s) throw Object.assign(new Error(`file not found: ${path}`), { code: 'ENOENT' });
      return rangedBlob(s.size, (start, end) => fs.read(path, { signal: o?.signal, range: { start, end } }));
    },
    join: (...parts) => fs.join(...parts),
  };
}
