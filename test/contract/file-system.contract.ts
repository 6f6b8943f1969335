/**
 * The FileSystem contract: every implementation (local, S3) passes these tests. The factory is called once per
 * test and returns a file system and an empty root directory (a temp dir, or a unique prefix in a bucket) in the
 * file system's own path form, plus a cleanup.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, NotFoundError, SpecError } from '../../src/errors.js';
import type { FileStat, FileSystem } from '../../src/storage/file-system.js';

export interface FileSystemFixture {
  fs: FileSystem;
  /** An empty directory (prefix) for this test. */
  root: string;
  cleanup(): Promise<void>;
}

export type FileSystemFactory = () => Promise<FileSystemFixture>;

const MiB = 1024 * 1024;

/** Deterministic bytes: `n` bytes of a counter pattern that differs per seed. */
function pattern(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) b[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return b;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function collect(it: AsyncIterable<FileStat>): Promise<FileStat[]> {
  const out: FileStat[] = [];
  for await (const s of it) out.push(s);
  return out;
}

async function drain(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Registers the contract suite for one implementation. */
export function fileSystemContract(name: string, factory: FileSystemFactory): void {
  describe(`FileSystem contract: ${name}`, () => {
    let fx: FileSystemFixture;
    let fs: FileSystem;
    const p = (...parts: string[]): string => fs.join(fx.root, ...parts);
    const paths = (xs: FileStat[]): string[] => xs.map((x) => x.path);

    beforeEach(async () => {
      fx = await factory();
      fs = fx.fs;
    });
    afterEach(async () => {
      await fx?.cleanup();
    });

    it('reports a scheme and boolean capabilities', () => {
      expect(fs.scheme).toMatch(/^[a-z][a-z0-9]*$/);
      for (const k of ['atomicRename', 'rangedReads', 'appendInPlace'] as const) expect(typeof fs.capabilities[k]).toBe('boolean');
    });

    describe('write and read', () => {
      it('round-trips text, binary and empty files, creating parents', async () => {
        expect(await fs.write(p('t', 'a.txt'), 'héllo ✓\n')).toEqual({ size: Buffer.byteLength('héllo ✓\n') });
        expect(text(await fs.read(p('t', 'a.txt')))).toBe('héllo ✓\n');

        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        expect((await fs.write(p('deep', 'er', 'bin.dat'), all)).size).toBe(256);
        expect(hex(await fs.read(p('deep', 'er', 'bin.dat')))).toBe(hex(all));

        expect(await fs.write(p('empty.bin'), new Uint8Array(0))).toEqual({ size: 0 });
        expect((await fs.read(p('empty.bin'))).byteLength).toBe(0);
        expect(await fs.stat(p('empty.bin'))).toMatchObject({ size: 0, isDirectory: false });
      });

      it('writes a chunked body and replaces an existing file', async () => {
        expect(await fs.write(p('c.csv'), chunks('a,b\n', '1,2\n', '3,4\n'))).toEqual({ size: 12 });
        expect(text(await fs.read(p('c.csv')))).toBe('a,b\n1,2\n3,4\n');
        await fs.write(p('c.csv'), 'x');
        expect(text(await fs.read(p('c.csv')))).toBe('x');
      });

      it('leaves nothing under the path when the body fails midway, and keeps a previous file', async () => {
        async function* failing(): AsyncIterable<Uint8Array> {
          yield Buffer.from('partial');
          throw new Error('source broke');
        }
        await expect(fs.write(p('f.txt'), failing())).rejects.toThrow('source broke');
        expect(await fs.stat(p('f.txt'))).toBeUndefined();
        expect(await collect(fs.list(fx.root, { includeHidden: true }))).toEqual([]);
        await fs.write(p('f.txt'), 'old');
        await expect(fs.write(p('f.txt'), failing())).rejects.toThrow('source broke');
        expect(text(await fs.read(p('f.txt')))).toBe('old');
      });

      it('reads and streams ranges, clamping an end past the end of the file', async () => {
        const data = pattern(1000, 7);
        await fs.write(p('r.bin'), data);
        const cases: Array<[number, number, Uint8Array]> = [
          [0, 10, data.subarray(0, 10)],
          [100, 357, data.subarray(100, 357)],
          [990, 5000, data.subarray(990)],
          [0, 1000, data],
          [500, 500, new Uint8Array(0)],
          [1000, 1010, new Uint8Array(0)],
          [2000, 3000, new Uint8Array(0)],
        ];
        for (const [start, end, want] of cases) {
          expect(hex(await fs.read(p('r.bin'), { range: { start, end } })), `read ${start}-${end}`).toBe(hex(want));
          expect(hex(await drain(await fs.openRead(p('r.bin'), { range: { start, end } }))), `openRead ${start}-${end}`).toBe(hex(want));
        }
        expect(sha(await drain(await fs.openRead(p('r.bin'))))).toBe(sha(data));
      });

      it('refuses an inverted or negative range naming the path', async () => {
        await fs.write(p('r.bin'), pattern(10));
        const err = await fs.read(p('r.bin'), { range: { start: 5, end: 2 } }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SpecError);
        expect((err as Error).message).toContain(p('r.bin'));
        await expect(fs.read(p('r.bin'), { range: { start: -1, end: 2 } })).rejects.toThrow(SpecError);
      });

      it('rejects a read of a missing file with a NotFoundError naming the path', async () => {
        const missing = p('nope', 'missing.parquet');
        const err = await fs.read(missing).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NotFoundError);
        expect((err as Error).message).toContain(missing);
        expect((err as Error).message).toMatch(/^read /);
        const err2 = await fs.openRead(missing).catch((e: unknown) => e);
        expect(err2).toBeInstanceOf(NotFoundError);
        expect((err2 as Error).message).toContain(missing);
        await expect(fs.read(missing, { range: { start: 0, end: 1 } })).rejects.toThrow(NotFoundError);
      });
    });

    describe('stat', () => {
      it('describes a file, a directory and a missing path', async () => {
        const before = Date.now();
        await fs.write(p('d', 'f.txt'), '12345');
        const f = await fs.stat(p('d', 'f.txt'));
        expect(f).toMatchObject({ path: p('d', 'f.txt'), size: 5, isDirectory: false });
        expect(f?.mtime).toBeInstanceOf(Date);
        expect(Math.abs((f?.mtime.getTime() ?? 0) - before)).toBeLessThan(5 * 60_000);
        expect(await fs.stat(p('d'))).toMatchObject({ path: p('d'), isDirectory: true });
        expect(await fs.stat(p('missing.txt'))).toBeUndefined();
        expect(await fs.stat(p('d', 'missing', 'x'))).toBeUndefined();
      });
    });

    describe('list', () => {
      beforeEach(async () => {
        for (const f of ['b.txt', 'a/x.txt', 'a-b.txt', 'a/y/z.txt', 'c.txt', 'ab/q.txt']) await fs.write(p(...f.split('/')), f);
      });

      it('lists one level with directories, sorted by path', async () => {
        const got = await collect(fs.list(fx.root));
        const want = ['a', 'a-b.txt', 'ab', 'b.txt', 'c.txt'].map((n) => p(n)).sort(byPath);
        expect(paths(got)).toEqual(want);
        expect(got.filter((s) => s.isDirectory).map((s) => fs.basename(s.path))).toEqual(['a', 'ab']);
        expect(got.find((s) => s.path === p('b.txt'))).toMatchObject({ size: 5, isDirectory: false });
      });

      it('lists files recursively, sorted by path, and not siblings that share the prefix string', async () => {
        const got = await collect(fs.list(fx.root, { recursive: true }));
        const want = ['a-b.txt', 'a/x.txt', 'a/y/z.txt', 'ab/q.txt', 'b.txt', 'c.txt'].map((f) => p(...f.split('/'))).sort(byPath);
        expect(paths(got)).toEqual(want);
        expect(got.every((s) => !s.isDirectory)).toBe(true);
        expect(paths(await collect(fs.list(p('a'), { recursive: true })))).toEqual([p('a', 'x.txt'), p('a', 'y', 'z.txt')]);
        expect(paths(await collect(fs.list(p('a'))))).toEqual([p('a', 'x.txt'), p('a', 'y')]);
      });

      it('lists a missing or emptied directory as empty', async () => {
        expect(await collect(fs.list(p('nothing-here')))).toEqual([]);
        expect(await collect(fs.list(p('nothing-here'), { recursive: true }))).toEqual([]);
        await fs.delete(p('ab', 'q.txt'));
        expect(await collect(fs.list(p('ab'), { recursive: true }))).toEqual([]);
      });

      it('hides names starting with a dot (staging files) unless includeHidden', async () => {
        await fs.write(p('a', '.hidden'), 'h');
        const writer = await fs.createWriter(p('a', 'pending.parquet'));
        await writer.write(pattern(1024));
        expect(paths(await collect(fs.list(p('a'), { recursive: true })))).toEqual([p('a', 'x.txt'), p('a', 'y', 'z.txt')]);
        expect(paths(await collect(fs.list(p('a'))))).toEqual([p('a', 'x.txt'), p('a', 'y')]);
        const all = paths(await collect(fs.list(p('a'), { recursive: true, includeHidden: true })));
        expect(all).toContain(p('a', '.hidden'));
        expect(all).not.toContain(p('a', 'pending.parquet'));
        await writer.close();
        expect(paths(await collect(fs.list(p('a'), { includeHidden: true })))).toContain(p('a', 'pending.parquet'));
      });
    });

    describe('createWriter', () => {
      it('streams many chunks and publishes the file only at close', { timeout: 120_000 }, async () => {
        const target = p('big', 'part-0.bin');
        const chunk = 64 * 1024;
        const total = 20 * MiB;
        const hash = createHash('sha256');
        const writer = await fs.createWriter(target);
        for (let off = 0, i = 0; off < total; off += chunk, i += 1) {
          const c = pattern(chunk, i);
          hash.update(c);
          await writer.write(c);
          if (i === 0 || i === 200) expect(await fs.stat(target)).toBeUndefined();
        }
        expect(writer.bytesWritten).toBe(total);
        expect(await fs.stat(target)).toBeUndefined();
        expect(await writer.close()).toEqual({ size: total });
        expect((await fs.stat(target))?.size).toBe(total);
        expect(sha(await fs.read(target))).toBe(hash.digest('hex'));
        expect(hex(await fs.read(target, { range: { start: total - 3, end: total + 10 } }))).toBe(hex(pattern(chunk, 319).subarray(chunk - 3)));
        await expect(writer.write(pattern(4))).rejects.toThrow(/already closed/);
      });

      it('abort leaves nothing under the path, is idempotent, and keeps a previous file', async () => {
        const target = p('ab', 'part-1.bin');
        const writer = await fs.createWriter(target);
        await writer.write(pattern(300 * 1024));
        await writer.abort();
        await writer.abort();
        expect(await fs.stat(target)).toBeUndefined();
        expect(await collect(fs.list(fx.root, { recursive: true, includeHidden: true }))).toEqual([]);
        await expect(writer.write(pattern(1))).rejects.toThrow(/already aborted/);

        await fs.write(target, 'previous');
        const w2 = await fs.createWriter(target);
        await w2.write(Buffer.from('replacement'));
        expect(text(await fs.read(target))).toBe('previous');
        await w2.abort();
        expect(text(await fs.read(target))).toBe('previous');
      });

      it('an empty writer publishes an empty file', async () => {
        const w = await fs.createWriter(p('e.bin'));
        expect(await w.close()).toEqual({ size: 0 });
        expect(await fs.stat(p('e.bin'))).toMatchObject({ size: 0, isDirectory: false });
      });
    });

    describe('rename', () => {
      it('moves a file, replacing the destination and creating its parents', async () => {
        await fs.write(p('s', 'a.txt'), 'A');
        await fs.write(p('s', 'b.txt'), 'B');
        await fs.rename(p('s', 'a.txt'), p('d', 'e', 'a.txt'));
        expect(await fs.stat(p('s', 'a.txt'))).toBeUndefined();
        expect(text(await fs.read(p('d', 'e', 'a.txt')))).toBe('A');
        await fs.rename(p('s', 'b.txt'), p('d', 'e', 'a.txt'));
        expect(text(await fs.read(p('d', 'e', 'a.txt')))).toBe('B');
        expect(await collect(fs.list(p('s'), { recursive: true }))).toEqual([]);
      });

      it('rejects a missing source with a NotFoundError naming it', async () => {
        const err = await fs.rename(p('ghost.txt'), p('x.txt')).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NotFoundError);
        expect((err as Error).message).toContain(p('ghost.txt'));
      });
    });

    describe('delete and deletePrefix', () => {
      it('deletes a list of paths and ignores missing ones', async () => {
        for (const f of ['1.txt', '2.txt', '3.txt']) await fs.write(p(f), f);
        await fs.delete([p('1.txt'), p('missing.txt'), p('3.txt'), p('no', 'dir.txt')]);
        expect(paths(await collect(fs.list(fx.root)))).toEqual([p('2.txt')]);
        await fs.delete(p('2.txt'));
        await fs.delete(p('2.txt'));
        await fs.delete([]);
        expect(await collect(fs.list(fx.root))).toEqual([]);
      });

      it('deletes everything under a directory and counts the files, sparing prefix-sharing siblings', async () => {
        for (const f of ['t/a.txt', 't/x/b.txt', 't/x/y/c.txt', 't/.hidden', 'tt/keep.txt', 't.txt']) await fs.write(p(...f.split('/')), f);
        expect(await fs.deletePrefix(p('t'))).toBe(4);
        expect(paths(await collect(fs.list(fx.root, { recursive: true, includeHidden: true })))).toEqual([p('t.txt'), p('tt', 'keep.txt')].sort(byPath));
        expect(await fs.stat(p('t'))).toBeUndefined();
        expect(await fs.deletePrefix(p('t'))).toBe(0);
      });

      it("refuses '' and '/' with a SpecError", async () => {
        await fs.write(p('keep.txt'), 'k');
        for (const bad of ['', '/']) {
          const err = await fs.deletePrefix(bad).catch((e: unknown) => e);
          expect(err, JSON.stringify(bad)).toBeInstanceOf(SpecError);
          expect((err as Error).message).toMatch(/refus/);
        }
        expect(await fs.stat(p('keep.txt'))).toBeDefined();
      });
    });

    describe('paths', () => {
      it('joins, and splits into dirname and basename', () => {
        const f = p('dir', 'part-1_0-a-0.parquet');
        expect(fs.basename(f)).toBe('part-1_0-a-0.parquet');
        expect(fs.dirname(f)).toBe(p('dir'));
        expect(fs.join(p('dir'), 'sub', 'x.csv')).toBe(p('dir', 'sub', 'x.csv'));
      });
    });

    describe('abort signals', () => {
      it('rejects every operation with an AbortedError when the signal has already aborted', async () => {
        await fs.write(p('a.txt'), 'a');
        const signal = AbortSignal.abort();
        const ops: Array<[string, () => Promise<unknown>]> = [
          ['stat', () => fs.stat(p('a.txt'), { signal })],
          ['list', () => collect(fs.list(fx.root, { signal }))],
          ['read', () => fs.read(p('a.txt'), { signal })],
          ['read range', () => fs.read(p('a.txt'), { signal, range: { start: 0, end: 1 } })],
          ['openRead', () => fs.openRead(p('a.txt'), { signal })],
          ['write', () => fs.write(p('b.txt'), 'b', { signal })],
          ['createWriter', () => fs.createWriter(p('c.txt'), { signal })],
          ['rename', () => fs.rename(p('a.txt'), p('d.txt'), { signal })],
          ['delete', () => fs.delete(p('a.txt'), { signal })],
          ['deletePrefix', () => fs.deletePrefix(fx.root, { signal })],
        ];
        for (const [op, call] of ops) await expect(call(), op).rejects.toBeInstanceOf(AbortedError);
        expect(paths(await collect(fs.list(fx.root, { includeHidden: true })))).toEqual([p('a.txt')]);
      });

      it('a writer whose signal aborts midway rejects the next write and leaves nothing', async () => {
        const ac = new AbortController();
        const writer = await fs.createWriter(p('w.bin'), { signal: ac.signal });
        await writer.write(pattern(1024));
        ac.abort();
        await expect(writer.write(pattern(1024))).rejects.toBeInstanceOf(AbortedError);
        await writer.abort();
        expect(await collect(fs.list(fx.root, { recursive: true, includeHidden: true }))).toEqual([]);
      });
    });
  });
}
