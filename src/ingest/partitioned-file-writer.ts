import type { RecordBatch } from 'apache-arrow';
import type { Partitioner } from '../partition/partitioner.js';
import type { FileSystem } from '../storage/file-system.js';
import { concatBatches } from '../arrow/concat-batches.js';
import { formatTime } from '../util/time.js';
import { timeRangeMs } from './event-time.js';
import type { PartitionBuffer } from './partition-buffers.js';
import { PartitionBuffers } from './partition-buffers.js';
import { cleanPreviousAttempt, writeManifest } from './commit-protocol.js';
import type { CommitResult, FileFormat, FileFormatWriter, FormatOptions, ManifestFile, TargetWriter } from './target-writer.js';

/** Buffering and file-size settings of a file target (SPEC §4), with MLRun's defaults. */
export interface FlushSettings {
  /** Rows held per partition before they are written (default 10,000). */
  maxEvents: number;
  /** Seconds a row may wait in a buffer, and an open file may stay open, before it is written / closed (900). */
  flushAfterSeconds: number;
  /** A file is closed and a new one started past this size (256 MiB). */
  maxFileBytes: number;
  /** Bytes held in memory across partitions and open files before the largest are written and closed (128 MiB). */
  maxBufferedBytes: number;
  /**
   * Files open at once at most (32): each open Parquet writer keeps encoder state in memory, so with many
   * partitions the least recently written file is closed (its partition continues in a new file).
   */
  maxOpenFiles: number;
}

export const DEFAULT_FLUSH_SETTINGS: FlushSettings = {
  maxEvents: 10_000,
  flushAfterSeconds: 900,
  maxFileBytes: 256 * 1024 * 1024,
  maxBufferedBytes: 128 * 1024 * 1024,
  maxOpenFiles: 32,
};

/** Files closed at once at commit: closing is mostly waiting (fsync, rename), so a few overlap well. */
const CLOSE_CONCURRENCY = 8;

export interface PartitionedFileWriterOptions {
  fs: FileSystem;
  /** The target's directory with the run id filled in. */
  root: string;
  /** For a single-file target: the file's name inside `root` (nothing is partitioned). */
  singleFileName?: string;
  format: FileFormat;
  formatOptions: FormatOptions;
  partitioner: Partitioner;
  /** The ingestion run id: file names `part-<runId>-<writerId>-<seq>` and `_manifests/<runId>.json`. */
  runId: string;
  writerId?: number;
  settings: FlushSettings;
  timeField?: string;
  /** Monotonic milliseconds (injectable for tests). */
  now?: () => number;
  clock?: () => Date;
}

interface OpenFile {
  writer: FileFormatWriter;
  path: string;
  relPath: string;
  partition: Record<string, string | null>;
  rows: number;
  opened: number;
  /** Monotonic ms of the last append (least recently written files are closed first). */
  used: number;
  minMs?: number;
  maxMs?: number;
}

/**
 * A file target (Parquet, CSV) written with Hive partitions: rows are split by the {@link Partitioner}, buffered
 * per partition, and appended as row groups to one open file per partition, which rolls at `max_file_bytes` or
 * after `flush_after_seconds`. Files get deterministic names and become visible only when complete; `commit`
 * then writes `_manifests/<run_id>.json` and `_SUCCESS` (SPEC §5). A retried run id first removes what an
 * earlier attempt with the same id left, so a re-run never duplicates rows.
 */
export class PartitionedFileWriter implements TargetWriter {
  private readonly buffers: PartitionBuffers;
  private readonly open = new Map<string, OpenFile>();
  private readonly seq = new Map<string, number>();
  private readonly done: ManifestFile[] = [];
  private readonly donePaths: string[] = [];
  private readonly finished = new Map<ManifestFile, OpenFile>();
  private readonly now: () => number;
  private started = false;
  private lastWrittenMs: number | undefined;
  /** Directories of files this run opened; on abort the ones left empty are removed. */
  private readonly fileDirs = new Set<string>();
  /** `root` and its ancestors that did not exist when the run started, deepest first. */
  private created: string[] = [];

  constructor(private readonly o: PartitionedFileWriterOptions) {
    this.now = o.now ?? (() => performance.now());
    this.buffers = new PartitionBuffers(this.now);
  }

  async write(batch: RecordBatch): Promise<void> {
    await this.start();
    const { maxEvents, flushAfterSeconds, maxBufferedBytes } = this.o.settings;
    for (const g of this.o.partitioner.split(batch)) {
      if (g.batch.numRows === 0) continue;
      const b = this.buffers.add(g.key, g.values, g.batch);
      if (b.rows >= maxEvents) await this.flush(this.buffers.take(g.key) as PartitionBuffer);
    }
    for (const b of this.buffers.takeOlderThan(flushAfterSeconds * 1000)) await this.flush(b);
    if (!this.o.singleFileName) {
      for (const [key, f] of this.open) if (this.now() - f.opened >= flushAfterSeconds * 1000) await this.closeFile(key);
    }
    if (this.heldBytes() > maxBufferedBytes) await this.relieve(maxBufferedBytes / 2);
  }

  /** Bytes in memory: partition buffers plus what open format writers hold (row groups being filled). */
  private heldBytes(): number {
    let n = this.buffers.bufferedBytes;
    for (const f of this.open.values()) n += f.writer.pendingBytes ?? 0;
    return n;
  }

  /**
   * Over `max_buffered_bytes`: writes the largest buffers out and closes their files (a closed file frees what
   * its writer held), then closes the open files holding the most, until at most `target` bytes stay in memory.
   */
  private async relieve(target: number): Promise<void> {
    const single = this.o.singleFileName !== undefined;
    for (const b of this.buffers.takeLargestUntil(target)) {
      await this.flush(b);
      if (!single) await this.closeFile(b.key);
    }
    if (single) return;
    const byHeld = [...this.open.entries()].sort((a, b) => (b[1].writer.pendingBytes ?? 0) - (a[1].writer.pendingBytes ?? 0));
    for (const [key] of byHeld) {
      if (this.heldBytes() <= target) break;
      await this.closeFile(key);
    }
  }

  async commit(): Promise<CommitResult> {
    await this.start();
    // Each partition's file is closed as soon as its last rows are in, so the format writers hold few unwritten
    // row groups at once; up to CLOSE_CONCURRENCY closes (encode the tail, fsync, rename) overlap.
    const closing: Array<Promise<ManifestFile | undefined>> = [];
    const inFlight = new Set<Promise<unknown>>();
    const close = async (key: string) => {
      const p = this.finishFile(key);
      closing.push(p);
      const settled: Promise<unknown> = p.then(
        () => inFlight.delete(settled),
        () => inFlight.delete(settled),
      );
      inFlight.add(settled);
      if (inFlight.size >= CLOSE_CONCURRENCY) await Promise.race(inFlight);
    };
    try {
      for (const b of this.buffers.takeAll()) {
        // A partition with no open file is written whole: all its rows are here and nothing follows.
        await this.flush(b, !this.open.has(b.key));
        if (!this.o.singleFileName) await close(b.key);
      }
      for (const key of [...this.open.keys()]) await close(key);
    } finally {
      // Record every file that did become visible (in order) so that abort() removes it on failure.
      for (const r of await Promise.allSettled(closing)) if (r.status === 'fulfilled' && r.value) this.record(r.value);
    }
    await Promise.all(closing);
    const rows = this.done.reduce((n, f) => n + f.rows, 0);
    const bytes = this.done.reduce((n, f) => n + f.bytes, 0);
    await writeManifest(this.o.fs, this.o.root, {
      run_id: this.o.runId,
      writer: this.o.writerId ?? 0,
      format: this.o.format.kind,
      committed_at: formatTime((this.o.clock ?? (() => new Date()))()),
      rows,
      bytes,
      files: this.done,
    });
    const result: CommitResult = { rows, bytes, files: [...this.done] };
    // A Date holds milliseconds: round the newest event time UP, so the next window (last_written, ...] never
    // re-reads a row whose time has microseconds within that millisecond.
    if (this.lastWrittenMs !== undefined) result.lastWritten = new Date(Math.ceil(this.lastWrittenMs));
    return result;
  }

  async abort(): Promise<void> {
    for (const f of this.open.values()) await f.writer.abort().catch(() => undefined);
    this.open.clear();
    this.buffers.takeAll();
    if (this.donePaths.length > 0) await this.o.fs.delete(this.donePaths).catch(() => undefined);
    await this.removeEmptyDirs().catch(() => undefined);
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.created = await missingDirs(this.o.fs, this.o.root);
    await cleanPreviousAttempt(this.o.fs, this.o.root, this.o.runId, this.o.writerId ?? 0);
  }

  /**
   * After an abort: removes the partition directories this run wrote into that hold no file now, then the
   * directories the run created above them (its run directory, a new target directory), deepest first, while empty.
   */
  private async removeEmptyDirs(): Promise<void> {
    const { fs, root } = this.o;
    const dirs = new Set<string>();
    for (const dir of this.fileDirs) for (let d = dir; d !== root && d.startsWith(`${root}/`); d = fs.dirname(d)) dirs.add(d);
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) if (await isEmptyDir(fs, d)) await fs.deletePrefix(d);
    for (const d of this.created) {
      if (!(await isEmptyDir(fs, d))) break;
      await fs.deletePrefix(d);
    }
  }

  private async flush(b: PartitionBuffer, whole = false): Promise<void> {
    let f = this.open.get(b.key);
    if (!f) {
      if (!this.o.singleFileName && this.open.size >= this.o.settings.maxOpenFiles) await this.closeLeastRecentlyUsed();
      f = await this.openFile(b, whole);
    }
    f.used = this.now();
    // One contiguous batch per flush: a buffer holds many small slices (one per source batch), and a format
    // writer's cost is mostly per appended batch (an IPC message and a write call into parquet-wasm).
    for (const batch of b.batches.length > 1 ? [concatBatches(b.batches)] : b.batches) {
      await f.writer.append(batch);
      f.rows += batch.numRows;
      if (this.o.timeField) {
        const r = timeRangeMs(batch, this.o.timeField);
        if (r) {
          f.minMs = f.minMs === undefined ? r.min : Math.min(f.minMs, r.min);
          f.maxMs = f.maxMs === undefined ? r.max : Math.max(f.maxMs, r.max);
        }
      }
    }
    if (f.writer.bytesWritten >= this.o.settings.maxFileBytes && !this.o.singleFileName) await this.closeFile(b.key);
  }

  private async closeLeastRecentlyUsed(): Promise<void> {
    let oldest: [string, OpenFile] | undefined;
    for (const e of this.open) if (!oldest || e[1].used < oldest[1].used) oldest = e;
    if (oldest) await this.closeFile(oldest[0]);
  }

  private async openFile(b: PartitionBuffer, whole = false): Promise<OpenFile> {
    const { fs, root, format } = this.o;
    const n = this.seq.get(b.key) ?? 0;
    this.seq.set(b.key, n + 1);
    const name = this.o.singleFileName ?? `part-${this.o.runId}-${this.o.writerId ?? 0}-${n}.${format.extension}`;
    const relPath = b.key ? `${b.key}/${name}` : name;
    const path = fs.join(root, relPath);
    this.fileDirs.add(fs.dirname(path));
    const schema = b.batches[0]?.schema;
    if (!schema) throw new Error('internal: flushing an empty partition buffer');
    const writer = whole && format.openWhole ? await format.openWhole(fs, path, schema, this.o.formatOptions) : await format.open(fs, path, schema, this.o.formatOptions);
    const f: OpenFile = { writer, path, relPath, partition: b.values, rows: 0, opened: this.now(), used: this.now() };
    this.open.set(b.key, f);
    return f;
  }

  private async closeFile(key: string): Promise<void> {
    const entry = await this.finishFile(key);
    if (entry) this.record(entry);
  }

  /** Closes a partition's open file (it becomes visible) and describes it; undefined when none is open. */
  private async finishFile(key: string): Promise<ManifestFile | undefined> {
    const f = this.open.get(key);
    if (!f) return undefined;
    this.open.delete(key);
    const { bytes } = await f.writer.close();
    const entry: ManifestFile = { path: f.relPath, partition: f.partition, rows: f.rows, bytes };
    if (f.minMs !== undefined && f.maxMs !== undefined) {
      entry.min_event_time = formatTime(new Date(f.minMs));
      entry.max_event_time = formatTime(new Date(f.maxMs));
    }
    this.finished.set(entry, f);
    return entry;
  }

  private record(entry: ManifestFile): void {
    const f = this.finished.get(entry);
    if (!f) return;
    this.finished.delete(entry);
    if (f.maxMs !== undefined) this.lastWrittenMs = Math.max(this.lastWrittenMs ?? -Infinity, f.maxMs);
    this.done.push(entry);
    this.donePaths.push(f.path);
  }
}

/** `dir` and its ancestors that do not exist, deepest first (empty when `dir` exists). */
async function missingDirs(fs: FileSystem, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; ; ) {
    const exists = await fs.stat(d).then((s) => s !== undefined, () => true);
    if (exists) return out;
    out.push(d);
    const up = fs.dirname(d);
    if (up === d || up === '' || up === '.') return out;
    d = up;
  }
}

/** True when no file (hidden ones included) is anywhere under `dir`. */
async function isEmptyDir(fs: FileSystem, dir: string): Promise<boolean> {
  for await (const f of fs.list(dir, { recursive: true, includeHidden: true })) if (!f.isDirectory) return false;
  return true;
}
