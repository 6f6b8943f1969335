import { mkdir, open, opendir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import nodePath from 'node:path';
import { Readable } from 'node:stream';
import { SpecError } from '../errors.js';
import type { FileStat, FileSystem, FileSystemCapabilities, FileWriter, ListOptions, ReadOptions, SignalOptions, WriteBody, WriteResult } from './file-system.js';
import { LocalFileWriter, isHiddenName, randomStagingId } from './local-file-writer.js';
import type { StagingId } from './local-file-writer.js';
import { basenameLocal, dirnameLocal, joinLocal, toLocalPath } from './local-paths.js';
import { checkRange } from './check-range.js';
import { errnoCode, storageError, throwIfAborted } from './storage-error.js';
import { writeBody } from './write-body.js';

export interface LocalFileSystemOptions {
  /** Directory relative paths are resolved against; default `process.cwd()` at construction. */
  cwd?: string;
  /** Suffix of staging file names; injectable for tests. */
  stagingId?: StagingId;
}

/**
 * The local file system. Takes plain paths (relative ones resolved against `cwd`) and `file://` URLs; paths
 * it reports keep the caller's form. Writes go to a hidden staging file in the target's directory and are
 * published by fsync + `rename`, so a reader or a crash never sees a partial file under its final name.
 * @example
 * const fs = new LocalFileSystem();
 * await fs.write('/data/fs/part-0.csv', 'a,b\n1,2\n');
 * for await (const f of fs.list('/data/fs')) console.log(f.path, f.size);
 */
export class LocalFileSystem implements FileSystem {
  readonly scheme = 'file';
  readonly capabilities: FileSystemCapabilities = Object.freeze({ atomicRename: true, rangedReads: true, appendInPlace: true });
  readonly #cwd: string;
  readonly #stagingId: StagingId;

  constructor(options: LocalFileSystemOptions = {}) {
    this.#cwd = nodePath.resolve(options.cwd ?? process.cwd());
    this.#stagingId = options.stagingId ?? randomStagingId;
  }

  /** The absolute local path behind a plain path or `file://` URL. */
  localPath(path: string): string {
    return toLocalPath(path, this.#cwd);
  }

  async stat(path: string, o: SignalOptions = {}): Promise<FileStat | undefined> {
    throwIfAborted(o.signal, 'stat', path);
    const local = this.localPath(path);
    try {
      const s = await stat(local);
      return { path, size: s.isDirectory() ? 0 : s.size, mtime: s.mtime, isDirectory: s.isDirectory() };
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw storageError('stat', path, err);
    }
  }

  async *list(prefix: string, o: ListOptions = {}): AsyncIterable<FileStat> {
    throwIfAborted(o.signal, 'list', prefix);
    const entries = await this.#listDir(prefix, this.localPath(prefix), o);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const e of entries) {
      throwIfAborted(o.signal, 'list', prefix);
      yield e;
    }
  }

  /** Entries of one directory (all levels when recursive); a missing directory or a file gives none. */
  async #listDir(shown: string, local: string, o: ListOptions): Promise<FileStat[]> {
    let dir;
    try {
      dir = await opendir(local);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw storageError('list', shown, err);
    }
    const out: FileStat[] = [];
    try {
      for await (const d of dir) {
        throwIfAborted(o.signal, 'list', shown);
        if (!o.includeHidden && isHiddenName(d.name)) continue;
        const childShown = this.join(shown, d.name);
        const childLocal = nodePath.join(local, d.name);
        const s = await stat(childLocal).catch((err: unknown) => {
          if (errnoCode(err) === 'ENOENT') return undefined; // removed while listing
          throw storageError('list', childShown, err);
        });
        if (s === undefined) continue;
        if (s.isDirectory()) {
          if (o.recursive) out.push(...(await this.#listDir(childShown, childLocal, o)));
          else out.push({ path: childShown, size: 0, mtime: s.mtime, isDirectory: true });
        } else {
          out.push({ path: childShown, size: s.size, mtime: s.mtime, isDirectory: false });
        }
      }
    } catch (err) {
      throw storageError('list', shown, err);
    }
    return out;
  }

  async read(path: string, o: ReadOptions = {}): Promise<Uint8Array> {
    throwIfAborted(o.signal, 'read', path);
    const local = this.localPath(path);
    try {
      if (o.range === undefined) return await readFile(local, { signal: o.signal });
      checkRange(o.range, 'read', path);
      const handle = await open(local, 'r');
      try {
        const size = (await handle.stat()).size;
        const start = Math.min(o.range.start, size);
        const length = Math.min(o.range.end, size) - start;
        const buf = Buffer.alloc(length);
        let got = 0;
        while (got < length) {
          throwIfAborted(o.signal, 'read', path);
          const { bytesRead } = await handle.read(buf, got, length - got, start + got);
          if (bytesRead === 0) break; // the file shrank meanwhile
          got += bytesRead;
        }
        return got === length ? buf : buf.subarray(0, got);
      } finally {
        await handle.close();
      }
    } catch (err) {
      throw storageError('read', path, err);
    }
  }

  async openRead(path: string, o: ReadOptions = {}): Promise<Readable> {
    throwIfAborted(o.signal, 'openRead', path);
    const local = this.localPath(path);
    if (o.range !== undefined) checkRange(o.range, 'openRead', path);
    let handle;
    try {
      handle = await open(local, 'r');
      const s = await handle.stat();
      if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      const end = o.range === undefined ? s.size : Math.min(o.range.end, s.size);
      const start = o.range === undefined ? 0 : Math.min(o.range.start, end);
      if (end <= start) {
        await handle.close();
        return Readable.from([]);
      }
      const stream = handle.createReadStream({ start, end: end - 1 });
      handle = undefined; // the stream owns and closes it now
      if (o.signal !== undefined) {
        const signal = o.signal;
        const onAbort = (): void => void stream.destroy(storageError('openRead', path, Object.assign(new Error('aborted'), { name: 'AbortError' })));
        signal.addEventListener('abort', onAbort, { once: true });
        stream.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      return stream;
    } catch (err) {
      await handle?.close().catch(() => undefined);
      throw storageError('openRead', path, err);
    }
  }

  async write(path: string, body: WriteBody, o: SignalOptions = {}): Promise<WriteResult> {
    const writer = await this.createWriter(path, o);
    return writeBody(writer, body, path, o.signal);
  }

  async createWriter(path: string, o: SignalOptions = {}): Promise<FileWriter> {
    throwIfAborted(o.signal, 'createWriter', path);
    return LocalFileWriter.open(path, this.localPath(path), { signal: o.signal, stagingId: this.#stagingId });
  }

  async rename(from: string, to: string, o: SignalOptions = {}): Promise<void> {
    throwIfAborted(o.signal, 'rename', from);
    const src = this.localPath(from);
    const dst = this.localPath(to);
    try {
      await mkdir(nodePath.dirname(dst), { recursive: true });
      await rename(src, dst);
    } catch (err) {
      throw storageError('rename', `${from} to ${to}`, err);
    }
  }

  async delete(paths: string | string[], o: SignalOptions = {}): Promise<void> {
    const list = typeof paths === 'string' ? [paths] : paths;
    for (const path of list) {
      throwIfAborted(o.signal, 'delete', path);
      try {
        await unlink(this.localPath(path));
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        if (code === 'EISDIR' || code === 'EPERM') {
          const s = await this.stat(path).catch(() => undefined);
          if (s?.isDirectory) throw new SpecError(`delete ${path}: is a directory; use deletePrefix() to delete a directory and its contents`);
        }
        throw storageError('delete', path, err);
      }
    }
  }

  async deletePrefix(prefix: string, o: SignalOptions = {}): Promise<number> {
    throwIfAborted(o.signal, 'deletePrefix', prefix);
    const trimmed = prefix.trim();
    if (trimmed === '' || /^(file:\/\/)?\/*$/i.test(trimmed)) {
      throw new SpecError(`deletePrefix ${JSON.stringify(prefix)}: refusing to delete the root of the file system; pass a directory such as /data/targets/my-set`);
    }
    const local = this.localPath(prefix);
    if (nodePath.dirname(local) === local) {
      throw new SpecError(`deletePrefix ${JSON.stringify(prefix)}: resolves to the root ${local}; refusing to delete it; pass a directory below the root`);
    }
    const s = await this.stat(prefix, o);
    if (s === undefined) return 0;
    let count = 1;
    if (s.isDirectory) {
      count = 0;
      for await (const f of this.list(prefix, { recursive: true, includeHidden: true, signal: o.signal })) if (!f.isDirectory) count += 1;
    }
    throwIfAborted(o.signal, 'deletePrefix', prefix);
    try {
      await rm(local, { recursive: true, force: true });
    } catch (err) {
      throw storageError('deletePrefix', prefix, err);
    }
    return count;
  }

  join(...parts: string[]): string {
    return joinLocal(...parts);
  }

  dirname(path: string): string {
    return dirnameLocal(path);
  }

  basename(path: string): string {
    return basenameLocal(path);
  }
}
