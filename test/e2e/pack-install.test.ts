import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/cli.js';
import { deleteKeys } from '../support/redis-keys.js';
import { services, uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';

// The proof of issue #11: the packed package, installed into an empty project, compiles under --strict and runs.
// `npm install --prefer-offline` takes what it can from npm's cache (the registry is reached for the rest on a
// cold cache); `--ignore-scripts` skips better-sqlite3's native build, so the default SQLite run db must say how
// to fix that and a PostgreSQL run db must work without it.
const root = fileURLToPath(new URL('../../', import.meta.url));
const project = uniqueName('pack');
const schema = uniqueName('pack');
const pgUrl = `${services.pgUrl()}?schema=${schema}`;
let dir: string;
let cleanup: () => Promise<void>;
let redis: Redis;

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
const tsc = (cwd: string, args: string[]) => sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], cwd);

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir('sluice-pack-'));
  redis = new Redis(services.redisUrl());
}, 120_000);
afterAll(async () => {
  await deleteKeys(redis, `*projects/${project}/*`);
  redis.disconnect();
  const client = new pg.Client({ connectionString: services.pgUrl() });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  await cleanup();
});

const API_TS = `import { readFileSync } from 'node:fs';
import { bestIteration, createDataFrameSource, FeatureSet, ingest, newTask, run, SpecError } from 'sluice';
import type { RunContext, SweepIteration } from 'sluice';
import { PartitionBuffers } from 'sluice/internal';

const task = newTask({ name: 'threshold', params: { metric: 'f1' } }).withHyperParams({ threshold: [10, 20, 30] }, 'max.accuracy');
const sweep = await run(task, async (ctx: RunContext<{ threshold: number; metric: string }>) => ({ accuracy: 1 - Math.abs(ctx.params.threshold - 20) / 100 }));
const best: SweepIteration<{ threshold: number; metric: string }, { accuracy: number }> | undefined = bestIteration(sweep);
console.log('best', best?.iteration, best?.params.threshold, best?.results.accuracy);

const fs = new FeatureSet({ name: 'mem', entities: ['id'], timestampKey: 'ts', targets: [{ name: 'offline', kind: 'parquet', path: 'out/mem/' }] });
const source = createDataFrameSource([{ id: 'a', v: 1, ts: new Date('2024-01-01T00:00:00Z') }], { keyField: 'id', timeField: 'ts' });
const { result } = await ingest(fs, { source });
console.log('rows', result?.rowsRead, typeof PartitionBuffers, new SpecError('x') instanceof Error);
try {
  FeatureSet.fromYaml(readFileSync('bad.yaml', 'utf8'));
} catch (err) {
  console.log('refused', (err as Error).message.split(':')[0]);
}
`;

describe('npm pack, install into an empty project, compile under --strict, run', () => {
  it('the packed package installs, its README-style API compiles and runs; mistakes fail to compile', async () => {
    const pack = await sh('npm', ['pack', '--silent', '--pack-destination', dir], root);
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(dir, pack.stdout.trim().split('\n').pop()!);
    const proj = join(dir, 'proj');
    await mkdir(proj);
    await writeFile(join(proj, 'package.json'), '{ "name": "first-hour", "private": true, "type": "module" }\n');
    const install = await sh('npm', ['install', tarball, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], proj);
    expect(install.code, install.stderr).toBe(0);
    const installed = join(proj, 'node_modules/sluice');
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json']);
    if (!existsSync(join(proj, 'node_modules/@types/node'))) {
      await mkdir(join(proj, 'node_modules/@types'), { recursive: true });
      await symlink(join(root, 'node_modules/@types/node'), join(proj, 'node_modules/@types/node'));
    }

    // sluice init from the installed CLI; the example's job.ts compiles under --strict
    const sluiceBin = join(proj, 'node_modules/.bin/sluice');
    const init = await sh(sluiceBin, ['init', 'app', '--project', project, '--redis-url', `${services.redisUrl()}/0`], proj);
    expect(init.stderr).toBe('');
    const app = join(proj, 'app');
    const jobBuild = await tsc(app, ['-p', 'tsconfig.json']);
    expect(jobBuild.stdout + jobBuild.stderr).toBe('');

    // the default SQLite run db without its native build: one line that says how to fix it
    const noNative = await sh(process.execPath, ['dist/job.js'], app);
    expect(noNative.code).not.toBe(0);
    expect(noNative.stderr).toMatch(/SluiceError: run db .*\.sluice\/runs\.db: the SQLite run db needs better-sqlite3's native module, which is not built for this Node\.js \(Could not locate the bindings file\. Tried:\); build it with `npm rebuild better-sqlite3`.* or use a PostgreSQL run db, which needs no native module: SLUICE_DB=postgres:/);
    // a PostgreSQL run db needs none
    const job = await sh(process.execPath, ['dist/job.js'], app, { SLUICE_DB: pgUrl });
    expect(job.stderr).toBe('');
    expect(job.stdout).toMatch(/^run [0-9a-f]{32} completed: 10 rows read\n {2}offline: data\/offline\/\d+_\d+\/\n {2}online: redis:.*\n\{"user_id":"u001","amount":64\.3,/);

    // a strict file over the public API (typed sweep, in-memory source, sluice/internal) compiles and runs
    const tsconfig = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, types: ['node'], skipLibCheck: false, outDir: 'dist' } };
    await writeFile(join(proj, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['api.ts'] }));
    await writeFile(join(proj, 'api.ts'), API_TS);
    await writeFile(join(proj, 'bad.yaml'), 'kind: FeatureSet\nmetadata: {name: x}\nspec: {entities: [a], targetz: []}\n');
    const apiBuild = await tsc(proj, ['-p', 'tsconfig.json']);
    expect(apiBuild.stdout + apiBuild.stderr).toBe('');
    const api = await sh(process.execPath, ['dist/api.js'], proj, { SLUICE_DB: pgUrl });
    expect(api.stderr).toBe('');
    expect(api.stdout).toBe('best 2 20 1\nrows 1 function true\nrefused FeatureSet.spec\n');

    // mistakes fail to compile: an internal from the main entry, a param used as the wrong type, a misspelled
    // target kind, a misspelled setting
    await writeFile(join(proj, 'wrong.ts'), [
      "import { PartitionBuffers, run, newTask, DataTargetBase } from 'sluice';",
      'import type { RunContext } from \'sluice\';',
      'console.log(PartitionBuffers);',
      "await run(newTask({ name: 't' }), (ctx: RunContext<{ threshold: number }>) => ctx.params.threshold.toUpperCase());",
      "console.log(new DataTargetBase({ name: 'a', kind: 'parquett' }));",
      "console.log(new DataTargetBase({ name: 'b', kind: 'parquet', attributes: { compresion: 'zstd' } }));",
      '',
    ].join('\n'));
    await writeFile(join(proj, 'tsconfig.wrong.json'), JSON.stringify({ ...tsconfig, include: ['wrong.ts'] }));
    const wrong = await tsc(proj, ['-p', 'tsconfig.wrong.json', '--noEmit']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts\(1,10\): error TS2305: Module '"sluice"' has no exported member 'PartitionBuffers'/);
    expect(wrong.stdout).toMatch(/wrong\.ts\(4,\d+\): error TS2339: Property 'toUpperCase' does not exist on type 'number'/);
    expect(wrong.stdout).toMatch(/wrong\.ts\(5,\d+\): error TS\d+: Type '"parquett"' is not assignable/);
    expect(wrong.stdout).toMatch(/wrong\.ts\(6,\d+\): error TS\d+: Object literal may only specify known properties, .*'compresion' does not exist/);
  }, 300_000);
});
