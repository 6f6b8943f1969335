/**
 * A process killed with SIGKILL in the middle of a LocalFileSystem write leaves nothing under the final name
 * (at most a hidden staging file, which `list` does not show) and never damages the previous file there. The
 * child cannot load TypeScript, so the test transpiles local-file-system.ts and its relative imports first.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStat } from '../../../src/storage/file-system.js';
import { LocalFileSystem } from '../../../src/storage/local-file-system.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { transpileClosure } from '../../support/transpile-closure.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILD = join(ROOT, 'test/support/local-writer-child.mjs');
const FAST_MIB = 16;

/** Runs the child until it reports its fast phase, then kills it with SIGKILL. */
function writeAndKill(moduleUrl: string, target: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CHILD, moduleUrl, target, String(FAST_MIB)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('written')) setTimeout(() => child.kill('SIGKILL'), 50);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (_code, signal) => resolvePromise({ signal, stdout, stderr }));
  });
}

async function collect(it: AsyncIterable<FileStat>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of it) out.push(s.path);
  return out;
}

describe('LocalFileSystem writer killed mid-write', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let moduleUrl: string;
  const fs = new LocalFileSystem();

  beforeAll(async () => {
    ({ dir, cleanup } = await tmpDir('sluice-crash-'));
    moduleUrl = transpileClosure([join(ROOT, 'src/storage/local-file-system.ts')], join(dir, 'build'))[0]!;
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('leaves nothing under the final name, only a hidden staging file that list does not show', { timeout: 60_000 }, async () => {
    const out = join(dir, 'out', 'fresh');
    const target = join(out, 'part-1700000000000_1-w0-0.parquet');
    const r = await writeAndKill(moduleUrl, target);
    expect(r.stderr).toBe('');
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).toContain(`written ${FAST_MIB * 1024 * 1024}`);

    expect(await fs.stat(target)).toBeUndefined();
    expect(await collect(fs.list(out, { recursive: true }))).toEqual([]);
    const hidden = await fs.list(out, { includeHidden: true });
    const staged = [];
    for await (const s of hidden) staged.push(s);
    expect(staged).toHaveLength(1);
    expect(fs.basename(staged[0]!.path)).toMatch(/^\.part-1700000000000_1-w0-0\.parquet\.[0-9a-f]+\.tmp$/);
    expect(staged[0]!.size).toBeGreaterThanOrEqual(FAST_MIB * 1024 * 1024);
  });

  it('keeps the previous file under the final name intact', { timeout: 60_000 }, async () => {
    const out = join(dir, 'out', 'replace');
    const target = join(out, 'data.csv');
    await fs.write(target, 'a,b\n1,2\n');
    const r = await writeAndKill(moduleUrl, target);
    expect(r.signal).toBe('SIGKILL');
    expect(r.stderr).toBe('');
    expect(Buffer.from(await fs.read(target)).toString()).toBe('a,b\n1,2\n');
    expect(await collect(fs.list(out))).toEqual([target]);
    expect((await collect(fs.list(out, { includeHidden: true }))).length).toBe(2);
  });
});
