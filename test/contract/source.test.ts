/** The Source contract for the file and in-memory kinds: csv, jsonl, parquet (file and Hive tree), arrow IPC, dataframe. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Float64, Int64, Schema, Table, tableToIPC, TimestampMillisecond, Utf8 } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { connector as arrowConnector } from '../../connectors/arrow-ipc/index.js';
import { connector as csvConnector } from '../../connectors/csv/index.js';
import { createDataFrameSource } from '../../connectors/dataframe/index.js';
import { connector as jsonlConnector } from '../../connectors/jsonl/index.js';
import { connector as parquetConnector } from '../../connectors/parquet/index.js';
import { DataSource } from '../../src/index.js';
import type { DataSourceOptions, Source } from '../../src/index.js';
import { makeBatch } from '../support/make-batch.js';
import { tmpDir } from '../support/tmp-dir.js';
import { CONTRACT_ROWS, CONTRACT_SCHEMA, sourceContract } from './source.contract.js';
import type { ContractRow, SourceFixture } from './source.contract.js';

const ARROW_SCHEMA = new Schema([
  new Field('id', new Int64(), true),
  new Field('user', new Utf8(), true),
  new Field('amount', new Float64(), true),
  new Field('ts', new TimestampMillisecond('UTC'), true),
]);
const table = (rows: readonly ContractRow[], schema = ARROW_SCHEMA): Table => new Table(makeBatch(schema, rows as unknown as Array<Record<string, unknown>>));
const parquetBytes = (t: Table): Uint8Array => pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(t, 'stream')));
const GARBAGE = 'this is not a columnar file, only text that pretends to be one\n'.repeat(4);

type Window = { startTime: Date; endTime: Date } | undefined;
const spec = (kind: string, path: string, window: Window, attributes?: Record<string, unknown>): DataSource =>
  new DataSource({
    kind, path, keyField: 'id', timeField: 'ts',
    ...(window ? { startTime: window.startTime.toISOString(), endTime: window.endTime.toISOString() } : {}),
    ...(attributes ? { attributes } : {}),
  } as DataSourceOptions);

/** A fixture over files written into a fresh temp dir: `write(dir)` lays them out and returns the source's path. */
async function fileFixture(o: {
  write(dir: string): Promise<string>;
  make(path: string, dir: string, window: Window): Source;
  bad(dir: string): Promise<{ source: Source; names: Array<string | RegExp> }>;
}): Promise<SourceFixture> {
  const { dir, cleanup } = await tmpDir('sluice-source-contract-');
  const path = await o.write(dir);
  return { source: async ({ window } = {}) => o.make(path, dir, window), bad: () => o.bad(dir), cleanup };
}

const csvText = (rows: readonly ContractRow[]): string => `id,user,amount,ts\n${rows.map((r) => `${r.id},${r.user},${r.amount},${r.ts.toISOString()}`).join('\n')}\n`;
const jsonlText = (rows: readonly ContractRow[]): string => rows.map((r) => JSON.stringify({ id: r.id, user: r.user, amount: r.amount, ts: r.ts.toISOString() })).join('\n') + '\n';

sourceContract('csv', () =>
  fileFixture({
    write: async (dir) => (await writeFile(join(dir, 'rows.csv'), csvText(CONTRACT_ROWS)), join(dir, 'rows.csv')),
    make: (path, dir, window) => csvConnector.createSource!(spec('csv', path, window), { cwd: dir }),
    bad: async (dir) => {
      const text = csvText(CONTRACT_ROWS).replace('\n3,u0,4.5,', '\n3,u0,4.5x,');
      await writeFile(join(dir, 'bad.csv'), text);
      return { source: csvConnector.createSource!(spec('csv', join(dir, 'bad.csv'), undefined, { schema: CONTRACT_SCHEMA })), names: ['bad.csv', /line 4\b/, 'amount', '4.5x'] };
    },
  }),
);

sourceContract('jsonl', () =>
  fileFixture({
    write: async (dir) => (await writeFile(join(dir, 'rows.jsonl'), jsonlText(CONTRACT_ROWS)), join(dir, 'rows.jsonl')),
    make: (path, dir, window) => jsonlConnector.createSource!(spec('jsonl', path, window), { cwd: dir }),
    bad: async (dir) => {
      const text = jsonlText(CONTRACT_ROWS).replace('"amount":4.5', '"amount":"4.5x"');
      await writeFile(join(dir, 'bad.jsonl'), text);
      return { source: jsonlConnector.createSource!(spec('jsonl', join(dir, 'bad.jsonl'), undefined, { schema: CONTRACT_SCHEMA })), names: ['bad.jsonl', /line 3\b/, 'amount', '4.5x'] };
    },
  }),
);

sourceContract('parquet file', () =>
  fileFixture({
    write: async (dir) => (await writeFile(join(dir, 'rows.parquet'), parquetBytes(table(CONTRACT_ROWS))), join(dir, 'rows.parquet')),
    make: (path, dir, window) => parquetConnector.createSource!(spec('parquet', path, window), { cwd: dir }),
    bad: async (dir) => {
      await writeFile(join(dir, 'bad.parquet'), GARBAGE);
      return { source: parquetConnector.createSource!(spec('parquet', join(dir, 'bad.parquet'), undefined)), names: ['bad.parquet'] };
    },
  }),
);

/** The rows as a Hive tree `user=<u>/part-0.parquet`: `user` comes back from the directory names. */
async function writeHive(root: string, rows: readonly ContractRow[]): Promise<void> {
  const noUser = new Schema(ARROW_SCHEMA.fields.filter((f) => f.name !== 'user'));
  for (const u of [...new Set(rows.map((r) => r.user))]) {
    await mkdir(join(root, `user=${u}`), { recursive: true });
    await writeFile(join(root, `user=${u}`, 'part-0.parquet'), parquetBytes(table(rows.filter((r) => r.user === u), noUser)));
  }
}

sourceContract('parquet Hive directory', () =>
  fileFixture({
    write: async (dir) => (await writeHive(join(dir, 'tree'), CONTRACT_ROWS), join(dir, 'tree')),
    make: (path, dir, window) => parquetConnector.createSource!(spec('parquet', path, window), { cwd: dir }),
    bad: async (dir) => {
      await writeHive(join(dir, 'badtree'), CONTRACT_ROWS);
      await mkdir(join(dir, 'badtree', 'user=u9'), { recursive: true });
      await writeFile(join(dir, 'badtree', 'user=u9', 'part-0.parquet'), GARBAGE);
      return { source: parquetConnector.createSource!(spec('parquet', join(dir, 'badtree'), undefined)), names: [join('user=u9', 'part-0.parquet')] };
    },
  }),
);

sourceContract('arrow IPC', () =>
  fileFixture({
    write: async (dir) => (await writeFile(join(dir, 'rows.arrow'), tableToIPC(table(CONTRACT_ROWS), 'file')), join(dir, 'rows.arrow')),
    make: (path, dir, window) => arrowConnector.createSource!(spec('arrow', path, window), { cwd: dir }),
    bad: async (dir) => {
      await writeFile(join(dir, 'bad.arrow'), GARBAGE);
      return { source: arrowConnector.createSource!(spec('arrow', join(dir, 'bad.arrow'), undefined)), names: ['bad.arrow'] };
    },
  }),
);

sourceContract('dataframe', async () => {
  const rows = CONTRACT_ROWS.map((r) => ({ ...r }));
  const window = (w: Window) => (w ? { startTime: w.startTime.toISOString(), endTime: w.endTime.toISOString() } : {});
  return {
    source: async ({ window: w } = {}) => createDataFrameSource(rows, { keyField: 'id', timeField: 'ts', name: 'contract', ...window(w) }),
    bad: async () => {
      const bad = rows.map((r) => (r.id === 3 ? { ...r, amount: '4.5x' } : r));
      return { source: createDataFrameSource(bad, { keyField: 'id', timeField: 'ts', name: 'contract', schema: CONTRACT_SCHEMA }), names: [/row 3\b/, 'amount', '4.5x'] };
    },
  };
});
