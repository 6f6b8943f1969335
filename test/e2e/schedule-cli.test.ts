import { spawn } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { tmpDir } from '../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir('sluice-sched-e2e-'));
});
afterAll(async () => cleanup());

async function featureSetFile(name: string): Promise<string> {
  await writeFile(join(dir, `${name}.csv`), 'user_id,amount,ts\nu1,1.5,2024-01-05T10:00:00Z\nu2,2.5,2024-01-05T11:00:00Z\nu3,3.5,2024-01-06T09:00:00Z\n');
  const yaml = [
    'kind: FeatureSet',
    `metadata: {name: ${name}, project: sched}`,
    'spec:',
    '  entities: [user_id]',
    '  timestamp_key: ts',
    `  source: {kind: csv, path: ${name}.csv, attributes: {schema: {user_id: string, amount: float64, ts: timestamp}}}`,
    '  targets:',
    `    - {name: offline, kind: parquet, path: out/${name}/, partitioned: true, time_partitioning_granularity: day}`,
  ].join('\n');
  await writeFile(join(dir, `${name}.yaml`), `${yaml}\n`);
  return `${name}.yaml`;
}

const addRows = (name: string, ids: string[]) =>
  appendFile(join(dir, `${name}.csv`), ids.map((id) => `${id},9.5,${new Date(Date.now() - 50).toISOString()}\n`).join(''));

async function ingested(name: string): Promise<string[]> {
  const r = await duckQuery(`SELECT user_id FROM read_parquet('${join(dir, 'out', name)}/**/*.parquet', hive_partitioning = true) ORDER BY user_id`);
  return r.map((x) => String(x.user_id));
}

describe('sluice schedule / sluice scheduler', () => {
  it('the daemon fires a seconds-level cron, ingests rows appended between fires exactly once, and exits 0 on SIGTERM', async () => {
    const file = await featureSetFile('ticks');
    const add = await sluice(['schedule', 'add', file, '--cron', '*/2 * * * * *'], { cwd: dir });
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/^schedule sched\/ticks added: \*\/2 \* \* \* \* \* \(UTC\) ingests sched\/ticks:latest; next fire \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);

    const child = spawn(process.execPath, [CLI, 'scheduler', '--poll', '1', '--grace-period', '20'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const completed = () => out.match(/run [0-9a-f]+ completed, (\d+) rows read/g) ?? [];
    const waitFor = async (pred: () => boolean, what: string) => {
      const until = Date.now() + 20_000;
      while (!pred()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; scheduler stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(() => completed().length >= 1, 'the first fire');
      expect(completed()[0]).toMatch(/completed, 3 rows read/);
      await addRows('ticks', ['u4', 'u5']);
      await waitFor(() => /completed, 2 rows read/.test(out), 'a fire reading the 2 appended rows');
      await addRows('ticks', ['u6']);
      await waitFor(() => /completed, 1 rows read/.test(out), 'a fire reading the 1 appended row');
      await waitFor(() => completed().length >= 4, 'one more fire (reading nothing)');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/SIGTERM: stopping/);
    expect(out).toMatch(/scheduler: stopped\n$/);
    expect(err).toBe('');
    expect(await ingested('ticks')).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);

    const runs = JSON.parse((await sluice(['runs', 'list', '--project', 'sched', '--json'], { cwd: dir })).stdout) as Array<{ metadata: { labels: Record<string, string> }; spec: { parameters: Record<string, unknown> }; status: { state: string } }>;
    expect(runs.length).toBe(completed().length);
    for (const r of runs) {
      expect(r.metadata.labels.schedule).toBe('ticks');
      expect(r.status.state).toBe('completed');
      expect(r.spec.parameters).toMatchObject({ overwrite: false, end_time: expect.any(String) });
    }
    expect(runs.filter((r) => r.spec.parameters.start_time === undefined)).toHaveLength(1); // only the first fire read everything
  }, 60_000);

  it('list shows the next fire; remove deletes; run-due runs due schedules once; errors name the bad value', async () => {
    const file = await featureSetFile('once');
    expect((await sluice(['schedule', 'add', file, '--cron', '* * * * * *', '--tz', 'Europe/Berlin', '--name', 'every-second'], { cwd: dir })).code).toBe(0);
    const list = await sluice(['schedule', 'list', '--project', 'sched', '--json'], { cwd: dir });
    const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    const mine = rows.find((r) => r.name === 'every-second');
    expect(mine).toMatchObject({ project: 'sched', cron: '* * * * * *', tz: 'Europe/Berlin', feature_set_path: 'once.yaml', cwd: dir });
    expect(Date.parse(String(mine?.next_fire))).toBeGreaterThan(Date.parse(String(mine?.created)));
    const table = await sluice(['schedule', 'list'], { cwd: dir });
    expect(table.stdout).toMatch(/every-second\s+sched\s+\* \* \* \* \* \*\s+Europe\/Berlin\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00/);

    await new Promise((r) => setTimeout(r, 1100));
    // From another directory: the stored feature set's relative paths were made absolute by `schedule add`.
    await mkdir(join(dir, 'elsewhere'), { recursive: true });
    const due = await sluice(['--db', join(dir, '.sluice/runs.db'), 'schedule', 'run-due', '--project', 'sched'], { cwd: join(dir, 'elsewhere') });
    expect(due.stderr).toBe('');
    expect(due.code).toBe(0);
    expect(due.stdout).toMatch(/^sched\/every-second: completed run [0-9a-f]+ window \(-inf, [^\]]+\], 3 rows read\n/m);
    expect(await ingested('once')).toEqual(['u1', 'u2', 'u3']);

    expect((await sluice(['schedule', 'remove', 'every-second'], { cwd: dir })).stdout).toBe('schedule sched/every-second removed\n');
    const again = await sluice(['schedule', 'remove', 'every-second'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('sluice: error: no schedule "every-second"; list schedules with: sluice schedule list\n');

    const badCron = await sluice(['schedule', 'add', file, '--cron', '*/5 * *'], { cwd: dir });
    expect(badCron.code).toBe(1);
    expect(badCron.stderr).toMatch(/^sluice: error: schedule once: cron: "\*\/5 \* \*" has 3 fields; expected 5/);
    const badTz = await sluice(['schedule', 'add', file, '--cron', '0 * * * *', '--tz', 'Moon/Base'], { cwd: dir });
    expect(badTz.stderr).toMatch(/"Moon\/Base" is not an IANA time zone/);
    const noCron = await sluice(['schedule', 'add', file], { cwd: dir });
    expect(noCron.stderr).toMatch(/no cron; give --cron or set spec\.source\.schedule/);
    const badLate = await sluice(['schedule', 'add', file, '--cron', '0 * * * *', '--allowed-lateness', '-3'], { cwd: dir });
    expect(badLate.code).not.toBe(0);
    expect(badLate.stderr).toMatch(/--allowed-lateness: "-3" is not a number of seconds/);
  }, 60_000);
});
