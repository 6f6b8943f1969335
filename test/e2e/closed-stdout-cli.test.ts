import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRunDB } from '../../src/index.js';
import { CLI, ensureBuilt } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
const RUNS = 2000;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  const db = new SqliteRunDB({ path: join(dir, 'runs.db') });
  for (let i = 0; i < RUNS; i++) {
    await db.storeRun({ metadata: { uid: `${String(i).padStart(32, '0')}`, name: 'ingest', project: 'p' }, spec: {}, status: { state: 'completed', results: { rows: i } } });
  }
  await db.close();
}, 120_000);
afterAll(async () => cleanup());

/** Runs the CLI, reads its first stdout line, closes the pipe (as `| head -1` does) and waits for the exit. */
function firstLineThenClose(args: string[]): Promise<{ line: string; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--db', join(dir, 'runs.db'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let line: string | undefined;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (line === undefined && out.includes('\n')) {
        line = out.slice(0, out.indexOf('\n'));
        child.stdout.destroy();
      }
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ line: line ?? '', code, stderr }));
  });
}

describe('a closed stdout (sluice ... | head -1)', () => {
  it.each([[['runs', 'list', '--limit', String(RUNS)]], [['runs', 'list', '--limit', String(RUNS), '--json']]])('%j ends quietly with exit 0', async (args) => {
    const r = await firstLineThenClose(args);
    expect(r.line).toMatch(/uid|\[/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);
});
