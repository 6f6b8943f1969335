import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, NotFoundError, SluiceError, SpecError } from '../../../src/errors.js';
import type { FileStat } from '../../../src/storage/file-system.js';
import { LocalFileSystem } from '../../../src/storage/local-file-system.js';
import { stagingPath } from '../../../src/storage/local-file-writer.js';
import { tmpDir } from '../../support/tmp-dir.js';

async function collect(it: AsyncIterable<FileStat>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of it) out.push(s.path);
  return out;
}

describe('LocalFileSystem', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tmpDir('sluice-localfs-'));
  });
  afterEach(async () => {
    await cleanup();
  });

  it('stages a write as a hidden .<basename>.<id>.tmp file in the same directory', async () => {
    expect(stagingPath('/d/x/part-0.parquet', 'abc')).toBe('/d/x/.part-0.parquet.abc.tmp');
    const fs = new LocalFileSystem({ stagingId: () => 'fixedid' });
    const w = await fs.createWriter(join(dir, 'sub', 'part-0.parquet'));
    await w.write(Buffer.from('x'));
    expect(readdirSync(join(dir, 'sub'))).toEqual(['.part-0.parquet.fixedid.tmp']);
    await w.close();
    expect(readdirSync(join(dir, 'sub'))).toEqual(['part-0.parquet']);
  });

  it('keeps chunk order when writes are not awaited one by one', async () => {
    const fs = new LocalFileSystem();
    const w = await fs.createWriter(join(dir, 'o.txt'));
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.write(Buffer.from(`${i},`))));
    await w.close();
    expect(Buffer.from(await fs.read(join(dir, 'o.txt'))).toString()).toBe(Array.from({ length: 50 }, (_, i) => `${i},`).join(''));
  });

  it('resolves relative paths against cwd and reports them in the caller form', async () => {
    const fs = new LocalFileSystem({ cwd: dir });
    await fs.write('rel/a.txt', 'a');
    expect(readdirSync(join(dir, 'rel'))).toEqual(['a.txt']);
    expect(await collect(fs.list('rel'))).toEqual([join('rel', 'a.txt')]);
    expect((await fs.stat('rel/a.txt'))?.path).toBe('rel/a.txt');
  });

  it('round-trips names that need escaping in file:// URLs', async () => {
    const fs = new LocalFileSystem();
    const root = pathToFileURL(dir).href;
    const f = fs.join(root, 'a b#c%d?.txt');
    expect(f.startsWith('file://')).toBe(true);
    await fs.write(f, 'x');
    expect(readdirSync(dir)).toEqual(['a b#c%d?.txt']);
    expect(await collect(fs.list(root))).toEqual([f]);
    expect(fs.basename(f)).toBe('a b#c%d?.txt');
    expect(fs.dirname(f)).toBe(root);
  });

  it('refuses another scheme, a directory as a file, and a directory in delete, naming the path', async () => {
    const fs = new LocalFileSystem();
    await expect(fs.read('s3://bucket/key')).rejects.toThrow(/s3:\/\/bucket\/key.*other schemes \(s3:\/\/\) go through their connector/);
    mkdirSync(join(dir, 'd'));
    const err = await fs.read(join(dir, 'd')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).code).toBe('IO');
    expect((err as Error).message).toBe(`read ${join(dir, 'd')}: is a directory, expected a file (EISDIR)`);
    await expect(fs.openRead(join(dir, 'd'))).rejects.toThrow(/openRead .*d: is a directory/);
    await expect(fs.delete(join(dir, 'd'))).rejects.toThrow(SpecError);
    await expect(fs.delete(join(dir, 'd'))).rejects.toThrow(/use deletePrefix/);
  });

  it('names the file in a not-found message and treats a file parent as missing', async () => {
    const fs = new LocalFileSystem();
    await fs.write(join(dir, 'f'), 'x');
    await expect(fs.read(join(dir, 'y.parquet'))).rejects.toThrow(`read ${join(dir, 'y.parquet')}: no such file`);
    await expect(fs.read(join(dir, 'f', 'child'))).rejects.toThrow(NotFoundError);
    expect(await fs.stat(join(dir, 'f', 'child'))).toBeUndefined();
    expect(await collect(fs.list(join(dir, 'f')))).toEqual([]);
  });

  it('refuses deletePrefix of every spelling of the root', async () => {
    const fs = new LocalFileSystem({ cwd: '/' });
    for (const bad of ['', ' ', '/', '//', 'file://', 'file:///', '/tmp/..', '.']) {
      const err = await fs.deletePrefix(bad).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).toBeInstanceOf(SpecError);
      expect((err as Error).message).toContain(JSON.stringify(bad));
    }
  });

  it('deletePrefix of a single file deletes it and counts 1', async () => {
    const fs = new LocalFileSystem();
    await fs.write(join(dir, 'one.txt'), '1');
    expect(await fs.deletePrefix(join(dir, 'one.txt'))).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('destroys an open stream with an AbortedError when the signal aborts', async () => {
    const fs = new LocalFileSystem();
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(4 * 1024 * 1024, 1));
    const ac = new AbortController();
    const stream = await fs.openRead(join(dir, 'big.bin'), { signal: ac.signal });
    const reading = (async () => {
      let n = 0;
      for await (const c of stream) {
        n += (c as Buffer).length;
        if (n > 0) ac.abort();
      }
      return n;
    })();
    const err = await reading.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as Error).message).toContain('big.bin');
  });

  it('reports the local capabilities', () => {
    const fs = new LocalFileSystem();
    expect(fs.scheme).toBe('file');
    expect(fs.capabilities).toEqual({ atomicRename: true, rangedReads: true, appendInPlace: true });
  });
});
