import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { deleteKeys } from '../support/redis-keys.js';
import { services, uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const project = uniqueName('init');
let dir: string;
let cleanup: () => Promise<void>;
let redis: Redis;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, `*projects/${project}/*`);
  redis.disconnect();
  await cleanup();
});

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
}

describe('sluice init', () => {
  it('writes an example project whose job.ts compiles under --strict and ingests into Parquet and Redis, then reads back', async () => {
    const r = await sluice(['init', 'quick', '--project', project, '--redis-url', `${services.redisUrl()}/0`], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created data\/transactions\.csv, featureset\.yaml, job\.ts, package\.json, tsconfig\.json, \.gitignore in .*quick\nnext/);
    expect(r.stdout).toContain('  cd quick\n');
    const proj = join(dir, 'quick');
    expect(JSON.parse(await readFile(join(proj, 'package.json'), 'utf8')).dependencies.sluice).toMatch(/^\^\d+\.\d+\.\d+$/);

    // "npm install": the package from this checkout (built dist/), TypeScript and @types/node from its node_modules.
    await mkdir(join(proj, 'node_modules/@types'), { recursive: true });
    await symlink(root, join(proj, 'node_modules/sluice'));
    await symlink(join(root, 'node_modules/@types/node'), join(proj, 'node_modules/@types/node'));
    const tsc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], proj);
    expect(tsc.stdout + tsc.stderr).toBe('');
    const job = await run(process.execPath, ['dist/job.js'], proj);
    expect(job.stderr).toBe('');
    const lines = job.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run [0-9a-f]{32} completed: 10 rows read$/);
    expect(lines[1]).toMatch(/^ {2}offline: data\/offline\/\d+_\d+\/$/);
    expect(lines[2]).toBe(`  online: ${services.redisUrl()}/0`);
    expect(lines.slice(3).map((l) => JSON.parse(l))).toEqual([
      { user_id: 'u001', amount: 64.3, category: 'online', ts: new Date('2024-01-02T10:40:00Z').toISOString() },
      { user_id: 'u002', amount: 120, category: 'travel', ts: new Date('2024-01-02T21:35:00Z').toISOString() },
      { user_id: 'nobody', amount: null, category: null, ts: null },
    ]);
    const offline = lines[1]!.trim().slice('offline: '.length);
    expect(existsSync(join(proj, offline, '_SUCCESS'))).toBe(true);
    expect(existsSync(join(proj, '.sluice/runs.db'))).toBe(true);
  }, 120_000);

  it('refuses to overwrite an existing project without --force, naming the files', async () => {
    await sluice(['init', 'again', '--project', project], { cwd: dir });
    const r = await sluice(['init', 'again'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sluice: error: init: .*again already has data\/transactions\.csv, featureset\.yaml, job\.ts, package\.json, tsconfig\.json, \.gitignore; choose an empty directory or pass --force to overwrite\n$/);
    expect((await sluice(['init', 'again', '--force', '--project', project], { cwd: dir })).code).toBe(0);
  });
});
