/**
 * Issue #8 proof harness: every case of fixtures/bad/cases.yaml through the built CLI. A case meets the data a
 * good run committed to the same target and must leave it intact; how each case is read is written at the top
 * of cases.yaml.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BadCase, badCaseProblems, caseSpec, loadBadCases } from '../support/bad-case.js';
import { ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { tmpDir } from '../support/tmp-dir.js';
import { treeSnapshot } from '../support/tree-snapshot.js';

const CORPUS = new URL('../../fixtures/bad/', import.meta.url).pathname;
const cases = loadBadCases(CORPUS);
const GOOD_ROWS = 4;

let seed: string;
let seedRows: Array<Record<string, unknown>>;

/** One good run, copied into every case's temp dir: the corpus files, out/ with good_1, and the run db. */
beforeAll(async () => {
  ensureBuilt();
  const t = await tmpDir('sluice-bad-seed-');
  seed = t.dir;
  await cp(CORPUS, seed, { recursive: true });
  const good = await sluice(['ingest', 'specs/good.yaml', '--run-id', 'good_1'], { cwd: seed });
  expect(good.stderr).toBe('');
  expect(good.code).toBe(0);
  seedRows = await goodRows(join(seed, 'out'));
  expect(seedRows).toHaveLength(GOOD_ROWS);
  return t.cleanup;
});

/** The good run's rows, read back from its own files only. */
async function goodRows(out: string): Promise<Array<Record<string, unknown>>> {
  return duckQuery(
    `SELECT user_id, amount, category, CAST(ts AS VARCHAR) AS ts FROM read_parquet('${out}/good_1/**/part-good_1-*.parquet', hive_partitioning = false) ORDER BY ts, user_id`,
  );
}

async function runCase(c: BadCase): Promise<void> {
  const { dir, cleanup } = await tmpDir('sluice-bad-');
  try {
    await cp(seed, dir, { recursive: true });
    const out = join(dir, 'out');
    const before = await treeSnapshot(out);

    const args = ['ingest', caseSpec(c, dir), ...(c.input ? ['--source-path', c.input] : []), ...(c.args ?? []), '--json'];
    const r = await sluice(args, { cwd: dir });
    const ctx = `${c.id}: sluice ${args.join(' ')}\nstderr: ${r.stderr}`;

    expect(r.code, ctx).toBe(c.outcome === 'error' ? 1 : 0);
    if (c.stderr === undefined) expect(r.stderr, ctx).toBe('');
    else {
      expect(r.stderr, `${ctx}\nstderr must be one line`).toMatch(/^sluice: error: [^\n]*\n$/);
      expect(r.stderr.trimEnd(), ctx).toMatch(new RegExp(c.stderr));
    }
    if (c.outcome !== 'error') {
      const results = JSON.parse(r.stdout).run.status.results as Record<string, unknown>;
      expect(results, ctx).toMatchObject({ committed: c.outcome === 'ok', ...c.results });
    }

    const after = await treeSnapshot(out);
    // An appending (ok) run rewrites _SUCCESS; every other file of the good run stays byte for byte.
    for (const [path, hash] of before) if (c.outcome !== 'ok' || !path.endsWith('_SUCCESS')) expect(after.get(path), `${ctx}\n${path} of the good run`).toBe(hash);
    expect(await goodRows(out), ctx).toEqual(seedRows);
    if (c.outcome !== 'ok') expect([...after.keys()], `${ctx}\nnothing of the bad run may be visible`).toEqual([...before.keys()]);
    if (c.query) {
      const added = [...after.keys()].filter((p) => !before.has(p) && p.endsWith('.parquet')).map((p) => `'${join(out, p)}'`);
      const sql = c.query.sql.replaceAll('new_rows', `read_parquet([${added.join(', ')}], union_by_name = true, hive_partitioning = false)`);
      expect(await duckQuery(sql), ctx).toEqual(c.query.rows);
    }
  } finally {
    await cleanup();
  }
}

describe('the bad-input table (fixtures/bad/cases.yaml)', () => {
  it('every case, pending ones too, has a unique id, a known outcome, existing files and a valid regex', () => {
    const ids = cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(cases.flatMap((c) => badCaseProblems(c, CORPUS).map((p) => `${c.id}: ${p}`))).toEqual([]);
  });
});

describe('sluice ingest on bad input keeps committed data', () => {
  for (const c of cases.filter((x) => x.pending === undefined)) it(c.id, () => runCase(c), 90_000);
});
