/**
 * Issue #10: `sluice runs abort <uid>` stops a run from another process. The child process runs a task (or an
 * ingestion) that only an abort ends; the test aborts it through the CLI; the child's handler sees ctx.signal
 * fire (it learns of the request from its heartbeat), the run ends `aborted`, and an aborted ingestion commits
 * nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
});
afterAll(async () => {
  // A child that was never aborted (a failed test) would wait forever.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await cleanup();
});

/** Starts the child; `lines` collects its stdout lines, `next(re)` resolves with the first line matching `re`. */
function startChild(mode: 'task' | 'ingest', config: Record<string, unknown>) {
  const child = spawn(process.execPath, [join(ROOT, 'test/support/abortable-run-child.mjs'), pathToFileURL(join(ROOT, 'dist/connectors/index.js')).href, mode, JSON.stringify(config)], {
    cwd: dir,
    env: { ...process.env, SLUICE_HEARTBEAT_SECONDS: '0.2', SLUICE_HEARTBEAT_EXPIRY_SECONDS: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let stderr = '';
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  let buf = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.re.test(line))) w.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const next = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => re.test(l));
      if (seen) return resolve(seen);
      waiters.push({ re, resolve });
      void exited.then((code) => reject(new Error(`child exited ${code} before printing ${re}; stderr: ${stderr}`)));
    });
  return { child, lines, next, exited, stderr: () => stderr };
}

describe('sluice runs abort', () => {
  it('aborts a run running in another process: its handler sees ctx.signal, the run ends aborted', async () => {
    const c = startChild('task', { project: 'ab-task' });
    const uid = await c.next(/^[0-9a-f]{32}$/);
    const show = JSON.parse((await sluice(['runs', 'show', uid, '--json'], { cwd: dir })).stdout) as { status: { state: string } };
    expect(show.status.state).toBe('running');

    const abort = await sluice(['runs', 'abort', uid, '--project', 'ab-task', '--wait', '--sleep', '0.2', '--timeout', '30'], { cwd: dir });
    expect(abort.stderr).toBe('');
    expect(abort.stdout).toBe(`${uid} aborted: Run was aborted\n`);
    expect(abort.code).toBe(0);
    expect(await c.exited).toBe(0);
    expect(c.lines).toContain('signal aborted');
    const log = (await sluice(['runs', 'logs', uid, '--project', 'ab-task'], { cwd: dir })).stdout;
    expect(log).toMatch(/WARN {2}abort requested through the run db/);
    const again = await sluice(['runs', 'abort', uid, '--project', 'ab-task'], { cwd: dir });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`run ${uid} (project ab-task) already ended aborted; there is nothing to abort`);
  }, 60_000);

  it('aborts an ingestion in another process, which then commits nothing', async () => {
    const target = join(dir, 'out', 'tx');
    const c = startChild('ingest', { project: 'ab-ingest', csv: join(ROOT, 'fixtures/data/transactions.csv'), target });
    await c.next(/^batch$/);
    const listed = JSON.parse((await sluice(['runs', 'list', '--project', 'ab-ingest', '--json'], { cwd: dir })).stdout) as { metadata: { uid: string }; status: { state: string } }[];
    expect(listed.map((r) => r.status.state)).toEqual(['running']);
    const uid = listed[0]!.metadata.uid;

    const abort = await sluice(['runs', 'abort', uid, '--project', 'ab-ingest'], { cwd: dir });
    expect(abort.stdout).toBe(`${uid} aborting: Run was aborted\n`);
    expect(await c.next(/^run /)).toBe('run aborted');
    expect(await c.exited).toBe(0);
    expect(c.lines).toContain('source saw the signal');
    const files = await readdir(target, { recursive: true }).catch(() => [] as string[]);
    expect(files.filter((f) => f.endsWith('.parquet') || f.endsWith('_SUCCESS') || f.includes('_manifests/'))).toEqual([]);
    const wait = await sluice(['runs', 'wait', uid, '--project', 'ab-ingest'], { cwd: dir });
    expect(wait.stdout).toBe(`${uid} aborted: Run was aborted\n`);
    expect(wait.code).toBe(1);
  }, 60_000);
});
