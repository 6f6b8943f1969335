import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  await mkdir(join(dir, 'fixtures'), { recursive: true });
  await cp(join(ROOT, 'fixtures/specs'), join(dir, 'fixtures/specs'), { recursive: true });
  await cp(join(ROOT, 'fixtures/data'), join(dir, 'fixtures/data'), { recursive: true });
});
afterAll(async () => cleanup());

async function files(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

describe('sluice vacuum', () => {
  it('on the target path keeps every committed file of every run; a crashed run\'s files are the only ones listed', async () => {
    expect((await sluice(['ingest', 'fixtures/specs/transactions.yaml', '--run-id', '1000_1'], { cwd: dir })).code).toBe(0);
    expect((await sluice(['ingest', 'fixtures/specs/transactions.yaml', '--run-id', '2000_1', '--no-overwrite'], { cwd: dir })).code).toBe(0);
    const target = join(dir, '.sluice/data/transactions');
    const crashed = join(target, '3000_1', 'hash4_key=0', 'part-3000_1-0-0.parquet');
    await mkdir(join(target, '3000_1', 'hash4_key=0'), { recursive: true });
    await writeFile(crashed, 'not committed');
    const before = await files(target);

    const dry = await sluice(['vacuum', target, '--dry-run', '--min-age', '0', '--json'], { cwd: dir });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const res = JSON.parse(dry.stdout) as { removed: string[]; kept: number; runDirs: string[] };
    expect(res.removed).toEqual([crashed]);
    expect(res.kept).toBe(before.filter((p) => p.includes('/1000_1/') && p.endsWith('.parquet')).length);
    expect(res.runDirs.sort()).toEqual([join(target, '1000_1'), join(target, '3000_1')]);

    const real = await sluice(['vacuum', `${target}/`, '--min-age', '0'], { cwd: dir });
    expect(real.stdout).toMatch(/^removed .*part-3000_1-0-0\.parquet\n1 file\(s\) removed, \d+ committed file\(s\) kept in 2 run directories\n$/);
    expect(await files(target)).toEqual(before.filter((p) => p !== crashed));
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${target}/1000_1/**/*.parquet', hive_partitioning = true)`))[0]?.n).toBe(4000);
  }, 60_000);

  it('refuses a folder that is not a Sluice target with one line, exit 1, and removes nothing', async () => {
    const other = join(dir, 'random');
    await mkdir(join(other, 'sub'), { recursive: true });
    await writeFile(join(other, 'sub', 'data.parquet'), 'x');
    await writeFile(join(other, '.profile'), 'x');
    const r = await sluice(['vacuum', other, '--min-age', '0'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^sluice: error: vacuum: .*random is not a Sluice target: expected .*; nothing was removed\n$/);
    expect(await files(other)).toEqual([join(other, '.profile'), join(other, 'sub', 'data.parquet')]);
  });
});
