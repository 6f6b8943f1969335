import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = pathToFileURL(join(root, 'dist/index.js')).href;
const internal = pathToFileURL(join(root, 'dist/src/index.js')).href;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
});
afterAll(async () => cleanup());

function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, stdout, stderr });
    });
  });
}

/** Names imported from 'sluice' in the README's TypeScript blocks. */
function readmeImports(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const names = new Set<string>();
  for (const m of readme.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'sluice'/g)) {
    for (const n of (m[2] ?? '').split(',')) if (n.trim()) names.add(n.trim().replace(/^type\s+/, ''));
  }
  return [...names];
}

describe('the package entry', () => {
  it('exports everything the README shows, and not the internals (those stay on dist/src/index.js)', async () => {
    const pub = (await import(entry)) as Record<string, unknown>;
    const values = readmeImports().filter((n) => n !== 'RunContext' && n !== 'DataFrameInput');
    expect(values.length).toBeGreaterThan(5);
    for (const name of [...values, 'createDataFrameSource', 'runStreamIngestion', 'bestIteration', 'getOnlineFeatures', 'openRunDB']) {
      expect(pub[name], name).toBeTypeOf('function');
    }
    const inner = (await import(internal)) as Record<string, unknown>;
    for (const name of ['PartitionBuffers', 'RecordBatchBuilder', 'checkSettingKeys', 'writeBody', 'ZoneOffsets', 'assembleRowBatches']) {
      expect(pub[name], name).toBeUndefined();
      expect(inner[name], name).toBeTypeOf('function');
    }
  });

  // pg (0.7 MB with its helpers) is still imported by PostgresRunDB in src/run/db; not checked here.
  it('loads no AWS SDK, Redis or BullMQ module to ingest a local CSV into Parquet', async () => {
    const log = join(dir, 'loaded.txt');
    writeFileSync(join(dir, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.LOADED_LOG, url + '\\n'); return next(url, context); }\n");
    writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    writeFileSync(join(dir, 'job.mjs'), [
      "import { createRequire } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      `const { FeatureSet, ingest, SqliteRunDB } = await import(${JSON.stringify(entry)});`,
      "const fs = new FeatureSet({ name: 'tx', entities: ['user_id'], timestampKey: 'ts',",
      `  source: { kind: 'csv', path: ${JSON.stringify(join(root, 'fixtures/data/transactions.csv'))} },`,
      "  targets: [{ name: 'offline', kind: 'parquet', path: 'out/tx/' }] });",
      "const db = new SqliteRunDB({ path: 'runs.db' });",
      "const { run, result } = await ingest(fs, { db });",
      "await db.close();",
      "const cjs = Object.keys(createRequire(import.meta.url).cache);",
      "appendFileSync(process.env.LOADED_LOG, cjs.join('\\n') + '\\n');",
      "console.log(await run.state(), result?.rowsWritten ?? result?.rowsRead);",
    ].join('\n'));
    const r = await node(['--import', './register.mjs', 'job.mjs'], { LOADED_LOG: log });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^completed 2000/);
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded.some((u) => u.includes('parquet-wasm'))).toBe(true);
    for (const pkg of ['@aws-sdk/', '@smithy/', '/ioredis/', '/bullmq/']) {
      expect(loaded.filter((u) => u.includes(`node_modules/${pkg.replace(/^\//, '')}`)), pkg).toEqual([]);
    }
  });
});
