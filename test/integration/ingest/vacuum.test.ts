import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, LocalFileSystem, SpecError, SqliteRunDB, ingest, readManifests, vacuum } from '../../../connectors/index.js';
import type { FileSystem, RunDB } from '../../../connectors/index.js';
import { S3FileSystem } from '../../../connectors/s3/index.js';
import { duckQuery } from '../../support/duckdb.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { createBucket, motoOptions, rawClient, removeBucket, uniqueBucket } from '../s3/s3-fixture.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
const LATER = () => new Date(Date.now() + 2 * 3600_000);
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
let client: S3Client;
let bucket: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
  client = rawClient();
  bucket = uniqueBucket('vacuum');
  await createBucket(client, bucket);
});
afterAll(async () => {
  await db.close();
  await removeBucket(client, bucket);
  await cleanup();
});

interface Setup {
  fs: FileSystem;
  root: string;
  storageOptions?: Record<string, unknown>;
}

const cases: Array<[string, () => Setup]> = [
  ['local', () => ({ fs: new LocalFileSystem(), root: join(dir, uniqueName('target')) })],
  ['S3', () => ({ fs: new S3FileSystem(motoOptions()), root: `s3://${bucket}/${uniqueName('target')}`, storageOptions: { endpoint_url: services.s3Endpoint(), key: 'testing', secret: 'testing', region: 'us-east-1' } })],
];

function featureSet(name: string, s: Setup): FeatureSet {
  return new FeatureSet({
    name,
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path: FIXTURE }),
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${s.root}/`, keyBucketingNumber: 2, timePartitioningGranularity: 'day', ...(s.storageOptions ? { storageOptions: s.storageOptions } : {}) })],
  });
}

/** Every committed file (manifest-listed) of every run directory, as full paths. */
async function committedFiles(s: Setup, runDirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of runDirs) for (const m of await readManifests(s.fs, s.fs.join(s.root, d))) for (const f of m.files) out.push(s.fs.join(s.root, d, f.path));
  return out.sort();
}

/**
 * Two committed runs (run dir 100_1 with an append 200_1 in it, run dir 300_1 from a feature set without status),
 * plus leftovers: a crashed first run 400_1 (part file + staging file, no manifest), a crashed append's part file
 * and a staging file inside 100_1. Returns the leftovers.
 */
async function buildTarget(s: Setup): Promise<string[]> {
  const a = featureSet(uniqueName('a'), s);
  await ingest(a, { db, cwd: dir, runId: '100_1', overwrite: true });
  await ingest(a, { db, cwd: dir, runId: '200_1', overwrite: false });
  await ingest(featureSet(uniqueName('b'), s), { db, cwd: dir, runId: '300_1', overwrite: true });
  const bytes = await s.fs.read((await committedFiles(s, ['300_1']))[0] as string);
  const leftovers = [
    s.fs.join(s.root, '400_1', 'hash2_key=0', 'year=2024', 'month=01', 'day=05', 'part-400_1-0-0.parquet'),
    s.fs.join(s.root, '400_1', 'hash2_key=1', 'year=2024', 'month=01', 'day=05', '.part-400_1-0-0.parquet.x1.tmp'),
    s.fs.join(s.root, '100_1', 'hash2_key=0', 'year=2024', 'month=01', 'day=05', 'part-500_1-0-0.parquet'),
    s.fs.join(s.root, '100_1', 'hash2_key=1', 'year=2024', 'month=01', 'day=06', '.part-500_1-0-0.parquet.x2.tmp'),
  ];
  for (const p of leftovers) await s.fs.write(p, bytes);
  // Not Sluice's: a file beside the run directories is never touched.
  await s.fs.write(s.fs.join(s.root, 'NOTES.txt'), 'kept\n');
  return leftovers.sort();
}

async function allFiles(s: Setup, root = s.root): Promise<string[]> {
  const out: string[] = [];
  for await (const f of s.fs.list(root, { recursive: true, includeHidden: true })) if (!f.isDirectory) out.push(f.path);
  return out.sort();
}

describe.each(cases)('vacuum on a target directory (%s)', (_name, make) => {
  it('a dry run on the target path lists only the leftovers; the real run keeps every committed file and row', async () => {
    const s = make();
    const leftovers = await buildTarget(s);
    const committed = await committedFiles(s, ['100_1', '300_1']);
    expect(committed.length).toBeGreaterThan(0);
    const before = await allFiles(s);

    const dry = await vacuum(s.fs, s.root, { dryRun: true, minAgeSeconds: 0, now: LATER });
    expect(dry.removed.sort()).toEqual(leftovers);
    expect(dry.kept).toBe(committed.length);
    expect(await allFiles(s)).toEqual(before);

    // With the default min-age, fresh unlisted files (an append still writing into the current run) stay.
    expect((await vacuum(s.fs, s.root, { dryRun: true })).removed).toEqual([]);

    const real = await vacuum(s.fs, s.root, { minAgeSeconds: 0, now: LATER });
    expect(real.removed.sort()).toEqual(leftovers);
    const after = await allFiles(s);
    expect(after).toEqual(before.filter((p) => !leftovers.includes(p)));
    for (const p of committed) expect(after).toContain(p);
    for (const d of ['100_1', '300_1']) {
      expect(after).toContain(s.fs.join(s.root, d, '_SUCCESS'));
      expect(after).toContain(s.fs.join(s.root, d, '_manifests', `${d}.json`));
    }
    expect(after).toContain(s.fs.join(s.root, '100_1', '_manifests', '200_1.json'));
    expect(after).toContain(s.fs.join(s.root, 'NOTES.txt'));
    if (s.fs.scheme === 'file') {
      const n = (r: string) => duckQuery(`SELECT count(*) AS n FROM read_parquet('${join(s.root, r)}/**/*.parquet', hive_partitioning = true)`);
      expect((await n('100_1'))[0]?.n).toBe(4000);
      expect((await n('300_1'))[0]?.n).toBe(2000);
    }
  }, 60_000);

  it('given one run directory (or the templated {run_id} path) it vacuums as on the target', async () => {
    const s = make();
    const leftovers = await buildTarget(s);
    const inRun = await vacuum(s.fs, s.fs.join(s.root, '100_1'), { dryRun: true, minAgeSeconds: 0, now: LATER });
    expect(inRun.removed.sort()).toEqual(leftovers.filter((p) => p.includes('/100_1/')));
    const crashed = await vacuum(s.fs, s.fs.join(s.root, '400_1'), { dryRun: true, minAgeSeconds: 0, now: LATER });
    expect(crashed.removed.sort()).toEqual(leftovers.filter((p) => p.includes('/400_1/')));
    const templated = await vacuum(s.fs, `${s.root}/{run_id}/`, { dryRun: true, minAgeSeconds: 0, now: LATER });
    expect(templated.removed.sort()).toEqual(leftovers);
  }, 60_000);

  it('refuses a path that is not a Sluice target and removes nothing there', async () => {
    const s = make();
    const other = s.fs.join(s.root, 'not-a-target');
    const files = [s.fs.join(other, 'a', 'b.parquet'), s.fs.join(other, 'x.csv'), s.fs.join(other, '12_3', 'notes.txt'), s.fs.join(other, 'abc', '.hidden')];
    for (const p of files) await s.fs.write(p, 'x');
    const refused = vacuum(s.fs, other, { minAgeSeconds: 0, now: LATER });
    await expect(refused).rejects.toThrow(SpecError);
    await expect(vacuum(s.fs, other, { minAgeSeconds: 0, now: LATER })).rejects.toThrow(/is not a Sluice target: expected .*_manifests.*nothing was removed/);
    await expect(vacuum(s.fs, s.fs.join(s.root, 'missing'), { minAgeSeconds: 0 })).rejects.toThrow(/is not a Sluice target/);
    expect(await allFiles(s, other)).toEqual(files.sort());
  });
});
