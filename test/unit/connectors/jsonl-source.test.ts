import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connector } from '../../../connectors/jsonl/index.js';
import type { JsonlSource } from '../../../connectors/jsonl/index.js';
import { loadConnector } from '../../../connectors/registry.js';
import { AbortedError, BadInputError, DataSource, NotFoundError, SpecError } from '../../../src/index.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-jsonl-')));
afterEach(async () => cleanup());

function source(path: string, attributes: Record<string, unknown> = {}): JsonlSource {
  return connector.createSource!(new DataSource({ kind: 'jsonl', path, attributes }), { cwd: dir }) as JsonlSource;
}

async function jsonl(name: string, text: string, attributes: Record<string, unknown> = {}): Promise<JsonlSource> {
  await writeFile(join(dir, name), text);
  return source(name, attributes);
}

const types = (s: { fields: { name: string; type: unknown }[] }) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

describe('jsonl source', () => {
  it('infers the schema of a fixture and reads its rows', async () => {
    const src = source(join(process.cwd(), 'fixtures/data/events.jsonl'));
    expect(types(await src.schema())).toEqual(['user_id:Utf8', 'amount:Int64', 'price:Float64', 'ts:Timestamp<MICROSECOND, UTC>', 'category:Utf8', 'tags:Utf8']);
    const { rows } = await readAll(src);
    expect(rows.map((r) => [r.user_id, r.amount, r.price, new Date(r.ts as number).toISOString(), r.category, r.tags])).toEqual([
      ['u1', 3n, 9.5, '2024-01-05T10:00:00.000Z', 'books', '["new"]'],
      ['u2', 1n, 19.99, '2024-01-05T08:05:00.000Z', 'games', '[]'],
      ['u3', null, 0.5, '2024-01-05T10:10:00.123Z', 'books', null],
      ['u1', 7n, null, '2024-01-05T11:00:00.000Z', '', '{"a":1}'],
    ]);
    expect(src.stats).toEqual({ rowsRead: 4, rowsSkipped: 0, rowsQuarantined: 0 });
  });

  it('takes declared types, a time zone for naive times and epoch numbers', async () => {
    const src = await jsonl('a.jsonl', '{"id":"7","t":"2024-01-05T10:00:00","e":1704448800}\n{"id":8,"t":null,"e":null}\n', {
      schema: { id: 'int64', t: { type: 'timestamp', tz: 'Europe/Berlin' }, e: { type: 'timestamp[s]', unit: 's' } },
    });
    const { rows } = await readAll(src);
    expect(rows).toEqual([
      { id: 7n, t: Date.parse('2024-01-05T09:00:00Z'), e: Date.parse('2024-01-05T10:00:00Z') },
      { id: 8n, t: null, e: null },
    ]);
  });

  it('reads in batches of batchSize across chunk boundaries, skipping blank lines and CRLF', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, s: `row ${i} ${'x'.repeat(i % 300)}` }));
    const src = await jsonl('big.jsonl', '\ufeff' + lines.join('\r\n') + '\n\n');
    const { batches, rows } = await readAll(src, { batchSize: 700 });
    expect(batches.map((b) => b.numRows)).toEqual([700, 700, 700, 700, 700, 700, 700, 100]);
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 5000 }, (_, i) => BigInt(i)));
  });

  it('stops at a line that is not JSON, naming file and line', async () => {
    const src = await jsonl('bad.jsonl', '{"a":1}\n\n{"a":2,}\n');
    const err = await readAll(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/^bad.jsonl line 3: not valid JSON: .*; set attributes.on_bad_row to "skip" or "quarantine"/);
  });

  it('stops at a line that is not an object', async () => {
    await expect(readAll(await jsonl('arr.jsonl', '{"a":1}\n[1,2]\n'))).rejects.toThrow('arr.jsonl line 2: expected a JSON object per line, found an array');
    await expect(readAll(await jsonl('num.jsonl', '{"a":1}\n42\n'))).rejects.toThrow('num.jsonl line 2: expected a JSON object per line, found a number');
  });

  it('names column, value and the inferred type when a later value does not fit', async () => {
    const src = await jsonl('t.jsonl', '{"n":1}\n{"n":2}\n{"n":"many"}\n', { infer_rows: 2 });
    await expect(readAll(src)).rejects.toThrow(/t.jsonl line 3, column `n`: "many" does not fit int64 .*inferred from the first 2 lines: declare the column's type in attributes.schema/);
  });

  it('skips or quarantines bad lines when asked', async () => {
    const text = '{"a":1}\nnope\n{"a":"x"}\n{"a":3}\n';
    const skip = await jsonl('s.jsonl', text, { on_bad_row: 'skip', infer_rows: 1 });
    expect((await readAll(skip)).rows).toEqual([{ a: 1n }, { a: 3n }]);
    expect(skip.stats).toEqual({ rowsRead: 2, rowsSkipped: 2, rowsQuarantined: 0 });
    const q = await jsonl('q.jsonl', text, { on_bad_row: 'quarantine', quarantine_path: 'bad/q.jsonl', infer_rows: 1 });
    expect((await readAll(q)).rows).toHaveLength(2);
    expect(q.stats.rowsQuarantined).toBe(2);
    const lines = (await readFile(join(dir, 'bad/q.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.file, l.line, l.raw])).toEqual([['q.jsonl', 2, 'nope'], ['q.jsonl', 3, '{"a":"x"}']]);
    expect(lines[1]!.reason).toMatch(/column `a`: "x" does not fit int64/);
  });

  it('reads through an openRead from the context, and is loaded by the registry', async () => {
    const m = await loadConnector('jsonl');
    const src = m.createSource!(new DataSource({ kind: 'jsonl', path: 's3://bucket/x.jsonl' }), {
      openRead: async (p) => Readable.from([Buffer.from(`{"p":${JSON.stringify(p)}}\n`)]),
    });
    const rows: unknown[] = [];
    for await (const b of src.read()) rows.push(...b.toArray().map((r) => r.toJSON()));
    expect(rows).toEqual([{ p: 's3://bucket/x.jsonl' }]);
  });

  it('refuses bad settings and names a missing file', async () => {
    expect(() => source('a.jsonl', { on_bad_row: 'ignore' })).toThrow(SpecError);
    expect(() => source('a.jsonl', { on_bad_row: 'ignore' })).toThrow(/attributes.on_bad_row: "ignore" is not accepted; expected one of error, skip, quarantine/);
    expect(() => source('')).toThrow(/path is required/);
    await expect(readAll(source('missing.jsonl'))).rejects.toThrow(NotFoundError);
  });

  it('stops with an AbortedError', async () => {
    const src = await jsonl('a.jsonl', Array.from({ length: 100 }, (_, i) => `{"i":${i}}`).join('\n'));
    const ac = new AbortController();
    await expect((async () => {
      for await (const _ of src.read({ batchSize: 10, signal: ac.signal })) ac.abort();
    })()).rejects.toThrow(AbortedError);
  });
});
