import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';
import { services, uniqueName } from '../support/services.js';
import pg from 'pg';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
});
afterAll(async () => cleanup());

describe('sluice CLI: demo and runs', () => {
  it('--help lists the commands', async () => {
    const r = await sluice(['--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/demo/);
    expect(r.stdout).toMatch(/runs/);
  });

  it('runs the demo into the embedded run db, then lists, shows, logs and waits for it', async () => {
    const demo = await sluice(['demo', '--json'], { cwd: dir });
    expect(demo.code).toBe(0);
    const run = JSON.parse(demo.stdout) as { metadata: { uid: string }; status: { state: string; results: Record<string, unknown> } };
    expect(run.status.state).toBe('completed');
    expect(run.status.results.best_iteration).toBe(2);
    const uid = run.metadata.uid;

    const list = await sluice(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(list.stdout).map((r: { metadata: { uid: string } }) => r.metadata.uid)).toContain(uid);
    const table = await sluice(['runs', 'list', '--project', 'demo', '--state', 'completed'], { cwd: dir });
    expect(table.stdout).toContain(uid);
    expect(table.stdout).toMatch(/demo-threshold\s+completed/);

    const show = await sluice(['runs', 'show', uid], { cwd: dir });
    expect(show.stdout).toMatch(/state\s+completed/);
    const showJson = JSON.parse((await sluice(['runs', 'show', uid, '--json'], { cwd: dir })).stdout);
    expect(showJson.metadata.uid).toBe(uid);

    const logs = await sluice(['runs', 'logs', uid], { cwd: dir });
    expect(logs.stdout).toMatch(/\[iter 2\] threshold 20: 9\/10 correct/);
    const logsJson = JSON.parse((await sluice(['runs', 'logs', uid, '--follow', '--json'], { cwd: dir })).stdout);
    expect(logsJson.state).toBe('completed');

    const wait = await sluice(['runs', 'wait', uid, '--timeout', '5'], { cwd: dir });
    expect(wait.code).toBe(0);
    expect(wait.stdout).toBe(`${uid} completed\n`);
  });

  it('errors without a stack trace and exits non-zero', async () => {
    const missing = await sluice(['runs', 'show', 'nope'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('sluice: error: no run nope; list runs with: sluice runs list\n');
    const badState = await sluice(['runs', 'list', '--state', 'finished'], { cwd: dir });
    expect(badState.code).not.toBe(0);
    expect(badState.stderr).toMatch(/--state "finished" is not a run state/);
    expect(badState.stderr).not.toMatch(/at .*\.js:\d+/);
    const badDb = await sluice(['--db', 'mysql://x', 'runs', 'list'], { cwd: dir });
    expect(badDb.code).toBe(1);
    expect(badDb.stderr).toMatch(/SLUICE_DB/);
  });

  it('uses PostgreSQL when SLUICE_DB points at it', async () => {
    const schema = uniqueName('cli');
    const env = { SLUICE_DB: `${services.pgUrl()}?schema=${schema}` };
    try {
      const demo = await sluice(['demo', '--json'], { cwd: dir, env });
      expect(demo.code).toBe(0);
      const uid = JSON.parse(demo.stdout).metadata.uid as string;
      const list = JSON.parse((await sluice(['runs', 'list', '--json'], { cwd: dir, env })).stdout);
      expect(list.map((r: { metadata: { uid: string } }) => r.metadata.uid)).toEqual([uid]);
    } finally {
      const c = new pg.Client({ connectionString: services.pgUrl() });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
  });
});
