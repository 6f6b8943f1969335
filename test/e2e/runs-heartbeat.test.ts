/**
 * Issue #8 item 7: a run whose process died must not stay `running` forever. A child process runs a task that never
 * ends, is SIGKILLed, and `sluice runs wait <uid>` (no --timeout) must return exit 1 with state error once the
 * heartbeat expired (a 1 s expiry set through the environment of the child).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
});
afterAll(async () => cleanup());

describe('a run whose process was killed', () => {
  it('is marked error by sluice runs wait, which returns exit 1 without --timeout', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'test/support/long-run-child.mjs'), pathToFileURL(join(ROOT, 'dist/src/index.js')).href], {
      cwd: dir,
      env: { ...process.env, SLUICE_HEARTBEAT_SECONDS: '0.2', SLUICE_HEARTBEAT_EXPIRY_SECONDS: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    const uid = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code} before printing the uid`)));
    });
    expect(uid).toMatch(/^[0-9a-f]{32}$/);
    // Alive: heartbeats keep it running past the expiry.
    await new Promise((r) => setTimeout(r, 1500));
    const show = JSON.parse((await sluice(['runs', 'show', uid, '--json'], { cwd: dir })).stdout) as { status: { state: string } };
    expect(show.status.state).toBe('running');

    child.kill('SIGKILL');
    await exited;
    const started = Date.now();
    const wait = await sluice(['runs', 'wait', uid], { cwd: dir });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(wait.code).toBe(1);
    expect(wait.stdout).toMatch(new RegExp(`^${uid} error: the process running it stopped \\(no heartbeat since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+\\+00:00\\)\\n$`));
    const list = JSON.parse((await sluice(['runs', 'list', '--project', 'hb', '--json'], { cwd: dir })).stdout) as { status: { state: string } }[];
    expect(list.map((r) => r.status.state)).toEqual(['error']);
  }, 60_000);
});
