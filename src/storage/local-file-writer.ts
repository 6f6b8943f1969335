import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import nodePath from 'node:path';
import type { FileWriter, WriteResult } from './file-system.js';
import { storageError, throwIfAborted } from './storage-error.js';
import { WriterLifecycle } from './writer-lifecycle.js';

/** A random staging suffix; injectable so tests can predict staging names. */
export type StagingId = () => string;
export const randomStagingId: StagingId = () => randomBytes(6).toString('hex');

/**
 * The staging name of a file: `.<basename>.<id>.tmp` in the same directory, hidden (leading `.`) so `list`
 * and readers skip it, and on the same device so the final `rename` is atomic.
 */
export function stagingPath(finalPath: string, id: string): string {
  return nodePath.join(nodePath.dirname(finalPath), `.${nodePath.basename(finalPath)}.${id}.tmp`);
}

/** True for a name `list` hides by default: staging files and other dot files. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** Flushes a directory entry (a rename) to disk; platforms that cannot open a directory skip it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Directory fsync is best effort (unsupported on some platforms and file systems).
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes a local file through a hidden staging file: chunks go straight to disk one at a time (memory holds at
 * most the chunks the caller has not awaited), `close()` fsyncs and renames the staging file onto the final
 * path, so readers see either the previous file or the complete new one, never a part. A crash leaves at most
 * the hidden staging file.
 */
export class LocalFileWriter implements FileWriter {
  #bytes = 0;
  readonly #life: WriterLifecycle;

  private constructor(
    private readonly handle: FileHandle,
    /** The path as the caller gave it, for messages. */
    private readonly shownPath: string,
    private readonly finalPath: string,
    private readonly staging: string,
    signal: AbortSignal | undefined,
  ) {
    // Closes the handle and removes the staging file.
    this.#life = new WriterLifecycle(shownPath, signal, async () => {
      await this.handle.close().catch(() => undefined);
      await rm(this.staging, { force: true }).catch(() => undefined);
    });
  }

  /** Creates the parent directories and the staging file. */
  static async open(shownPath: string, finalPath: string, o: { signal?: AbortSignal; stagingId?: StagingId } = {}): Promise<LocalFileWriter> {
    throwIfAborted(o.signal, 'createWriter', shownPath);
    const staging = stagingPath(finalPath, (o.stagingId ?? randomStagingId)());
    try {
      await mkdir(nodePath.dirname(finalPath), { recursive: true });
      const handle = await open(staging, 'wx');
      return new LocalFileWriter(handle, shownPath, finalPath, staging, o.signal);
    } catch (err) {
      throw storageError('createWriter', shownPath, err);
    }
  }

  get bytesWritten(): number {
    return this.#bytes;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#life.write(async () => {
      try {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await this.handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      } catch (err) {
        throw this.#life.fail(storageError('write', this.shownPath, err));
      }
      this.#bytes += chunk.byteLength;
    });
  }

  async close(): Promise<WriteResult> {
    await this.#life.beginClose();
    try {
      await this.handle.sync();
      await this.handle.close();
      await rename(this.staging, this.finalPath);
    } catch (err) {
      await this.#life.discard();
      throw storageError('close', this.shownPath, err);
    }
    await syncDirectory(nodePath.dirname(this.finalPath));
    return { size: this.#bytes };
  }

  abort(): Promise<void> {
    return this.#life.abort();
  }
}
