/**
 * The TargetWriter contract: every target writer (partitioned files over each format and file system, the Redis
 * online store) passes these tests. The factory is called once per test and returns writers on an empty target,
 * and ways to see what a reader of that target sees.
 */
import { Field, Float64, Int64, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/index.js';
import type { TargetWriter } from '../../src/index.js';
import { makeBatch } from '../support/make-batch.js';

export interface TargetFixture {
  /**
   * A writer of run `runId` on the fixture's target. With `eager`, it writes out as early as it can (file
   * targets: a file per few rows, published under its final name before commit).
   */
  open(runId: string, o?: { eager?: boolean }): Promise<TargetWriter>;
  /** What a reader sees now, with contents: `name → digest` of data files, manifest and `_SUCCESS`, or Redis keys. */
  visible(): Promise<Map<string, string>>;
  /** The `id` of every row a reader sees, duplicates kept, sorted. */
  rowIds(): Promise<number[]>;
  /** Every object under the target, staging files and empty directories included (file targets). */
  anything?(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export type TargetFactory = () => Promise<TargetFixture>;

export interface TargetCapabilities {
  /**
   * Nothing of a run is visible before its commit and an abort leaves the target as it was (file targets). The
   * online store is not (SPEC, docs/decisions.md): what `write` sent stays; it only refuses to commit.
   */
  transactional: boolean;
}

export const TARGET_SCHEMA = new Schema([
  new Field('id', new Int64(), true),
  new Field('user', new Utf8(), true),
  new Field('amount', new Float64(), true),
  new Field('ts', new TimestampMicrosecond('UTC'), true),
]);
const T0 = Date.UTC(2024, 0, 1);

/** Rows `from..to-1` (ids from + 1 ...), one per 3 hours so they span days. */
export function targetBatch(from: number, to: number): RecordBatch {
  return makeBatch(TARGET_SCHEMA, Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    return { id: i + 1, user: `u${i % 3}`, amount: i * 0.5, ts: new Date(T0 + i * 3 * 3_600_000) };
  }));
}

const ALL = Array.from({ length: 40 }, (_, i) => i + 1);

async function writeAll(w: TargetWriter): Promise<void> {
  await w.write(targetBatch(0, 25));
  await w.write(targetBatch(25, 40));
}

/** Visible objects without the commit records (`_manifests/`, `_SUCCESS`), whose commit time differs per attempt. */
const data = (v: Map<string, string>): Map<string, string> => new Map([...v].filter(([k]) => !/_manifests\/|_SUCCESS$/.test(k)));

async function refused(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => new Error('the call was not refused'), (e: unknown) => e);
}

/** Registers the contract suite for one target writer. */
export function targetWriterContract(name: string, factory: TargetFactory, caps: TargetCapabilities): void {
  describe(`TargetWriter contract: ${name}`, () => {
    let fx: TargetFixture;
    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      await fx?.cleanup();
    });

    it('commit makes every row visible exactly once and reports them', async () => {
      const w = await fx.open('1704067200000_1');
      await writeAll(w);
      const res = await w.commit();
      expect(res.rows).toBe(40);
      expect(await fx.rowIds()).toEqual(ALL);
      expect(res.lastWritten?.toISOString()).toBe(new Date(T0 + 39 * 3 * 3_600_000).toISOString());
    });

    if (caps.transactional) {
      it('nothing is visible before commit', async () => {
        const w = await fx.open('1704067200000_1');
        await writeAll(w);
        expect([...(await fx.visible()).keys()]).toEqual([]);
        expect(await fx.rowIds()).toEqual([]);
        await w.commit();
        expect(await fx.rowIds()).toEqual(ALL);
      });

      it('write then abort leaves nothing, not even staging files or directories, also after eager writes', async () => {
        for (const eager of [false, true]) {
          const w = await fx.open('1704067200000_1', { eager });
          await writeAll(w);
          await w.abort(new Error('test abort'));
          expect(await fx.rowIds(), `eager ${eager}`).toEqual([]);
          expect(await fx.anything?.(), `eager ${eager}`).toEqual([]);
        }
      });

      it('a retry of an attempt that stopped half-way (no commit, no abort) gives every row once', async () => {
        const first = await fx.open('1704067200000_1', { eager: true });
        await writeAll(first);
        const retry = await fx.open('1704067200000_1', { eager: true });
        await writeAll(retry);
        await retry.commit();
        expect(await fx.rowIds()).toEqual(ALL);
      });
    }

    it('after abort, commit is refused and nothing is committed', async () => {
      const w = await fx.open('1704067200000_1');
      await writeAll(w);
      await w.abort(new Error('test abort'));
      const before = await fx.visible();
      expect(await refused(w.commit())).toBeInstanceOf(SluiceError);
      expect(await fx.visible()).toEqual(before);
    });

    it('abort is idempotent, before and after writes', async () => {
      const w0 = await fx.open('1704067200000_1');
      await w0.abort(new Error('first'));
      await w0.abort(new Error('second'));
      const w = await fx.open('1704067200000_2');
      await writeAll(w);
      await w.abort(new Error('first'));
      await expect(w.abort(new Error('second'))).resolves.toBeUndefined();
    });

    it('commits once: a second commit is refused and changes nothing', async () => {
      const w = await fx.open('1704067200000_1');
      await writeAll(w);
      await w.commit();
      const after = await fx.visible();
      expect(await refused(w.commit())).toBeInstanceOf(SluiceError);
      expect(await fx.visible()).toEqual(after);
      expect(await fx.rowIds()).toEqual(ALL);
    });

    it('a write after commit is refused and changes nothing', async () => {
      const w = await fx.open('1704067200000_1');
      await writeAll(w);
      await w.commit();
      const after = await fx.visible();
      expect(await refused(w.write(targetBatch(40, 45)))).toBeInstanceOf(SluiceError);
      expect(await fx.visible()).toEqual(after);
      expect(await fx.rowIds()).toEqual(ALL);
    });

    it('a retry with the same run id gives the same objects and rows, never duplicates', async () => {
      const first = await fx.open('1704067200000_1');
      await writeAll(first);
      const r1 = await first.commit();
      const seen = await fx.visible();
      const retry = await fx.open('1704067200000_1');
      await writeAll(retry);
      const r2 = await retry.commit();
      expect(r2.rows).toBe(r1.rows);
      expect(r2.files.map((f) => [f.path, f.rows])).toEqual(r1.files.map((f) => [f.path, f.rows]));
      expect([...(await fx.visible()).keys()]).toEqual([...seen.keys()]);
      expect(data(await fx.visible())).toEqual(data(seen)); // same bytes; only the manifest's commit time may differ
      expect(await fx.rowIds()).toEqual(ALL);
    });
  });
}
