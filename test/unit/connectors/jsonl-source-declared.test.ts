import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connector } from '../../../connectors/jsonl/index.js';
import type { JsonlSource } from '../../../connectors/jsonl/index.js';
import { BadInputError, DataSource } from '../../../src/index.js';
import type { SourceContext } from '../../../src/index.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-jsonl-decl-')));
afterEach(async () => cleanup());

async function jsonl(name: string, text: string | Buffer, attributes: Record<string, unknown> = {}, ctx: SourceContext = {}): Promise<JsonlSource> {
  await writeFile(join(dir, name), text);
  return connector.createSource!(new DataSource({ kind: 'jsonl', path: name, attributes }), { cwd: dir, ...ctx }) as JsonlSource;
}

const rowsOf = async (src: JsonlSource) => (await readAll(src)).rows;

const types = (s: { fields: { name: string; type: unknown }[] }) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

describe('jsonl source: declared types, big integers, late fields', () => {
  it('the feature set declared types drive the columns; attributes.schema wins', async () => {
    const text = '{"user_id":1,"zip":1234,"n":5}\n{"user_id":2,"zip":2345,"n":6}\n';
    const src = await jsonl('a.jsonl', text, { schema: { n: 'float64' } }, { columnTypes: { user_id: { type: 'string' }, zip: { type: 'string' }, n: { type: 'int32' } } });
    expect(types(await src.schema())).toEqual(['n:Float64', 'user_id:Utf8', 'zip:Utf8']);
    expect(await rowsOf(src)).toEqual([{ n: 5, user_id: '1', zip: '1234' }, { n: 6, user_id: '2', zip: '2345' }]);
  });

  it('keeps integers beyond 2^53 exact as int64, also where a string or a float looks alike', async () => {
    const text = '{"id":9007199254740993,"s":"12345678901234567890","f":1234567890123456.75}\n{"id":-9223372036854775807,"s":"x \\" 99999999999999999","f":1}\n';
    const src = await jsonl('big.jsonl', text);
    expect(types(await src.schema())).toEqual(['id:Int64', 's:Utf8', 'f:Float64']);
    expect(await rowsOf(src)).toEqual([
      { id: 9007199254740993n, s: '12345678901234567890', f: 1234567890123456.75 },
      { id: -9223372036854775807n, s: 'x " 99999999999999999', f: 1 },
    ]);
  });

  it('a field first seen after the inference sample stops the read naming the field, the line and the fix', async () => {
    const text = '{"a":1}\n\n{"a":2}\n{"a":3,"late":"x"}\n';
    const src = await jsonl('late.jsonl', text, { infer_rows: 2 });
    const err = await rowsOf(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/late.jsonl line 4: field `late` was not in the first 2 lines/);
    expect((err as Error).message).toMatch(/attributes\.schema/);
    expect((err as Error).message).toMatch(/infer_rows/);
    const q = await jsonl('late2.jsonl', text, { infer_rows: 2, on_bad_row: 'quarantine' });
    expect(await rowsOf(q)).toEqual([{ a: 1n }, { a: 2n }]);
    expect(q.stats.rowsQuarantined).toBe(1);
    const declared = await jsonl('late3.jsonl', text, { infer_rows: 2, schema: { late: 'string' } });
    expect(await rowsOf(declared)).toEqual([{ late: null, a: 1n }, { late: null, a: 2n }, { late: 'x', a: 3n }]);
  });

  it('a null key or an empty time is a bad row naming the real line and the column', async () => {
    const text = '{"k":"a","t":"2024-01-05T10:00:00Z"}\n\n{"k":null,"t":"2024-01-05T10:00:00Z"}\n{"t":"2024-01-05T10:00:00Z"}\n{"k":"d","t":""}\n{"k":"e","t":null}\n{"k":"f","t":"2024-01-05T11:00:00Z"}\n';
    const ctx = { keyFields: ['k'], timeField: 't' };
    const err = await rowsOf(await jsonl('k.jsonl', text, {}, ctx)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/k.jsonl line 3, column `k`: the key is null/);
    const q = await jsonl('k2.jsonl', text, { on_bad_row: 'quarantine' }, ctx);
    expect((await rowsOf(q)).map((r) => r.k)).toEqual(['a', 'f']);
    expect(q.stats).toEqual({ rowsRead: 2, rowsSkipped: 0, rowsQuarantined: 4 });
    const side = (await readFile(join(dir, 'k2.jsonl.quarantine.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { line: number; column: string });
    expect(side.map((r) => [r.line, r.column])).toEqual([[3, 'k'], [4, 'k'], [5, 't'], [6, 't']]);
  });

  it('a time field that inference cannot read as a time names the first line and value that defeated it', async () => {
    const text = '{"k":"a","t":"2024-01-05T10:00:00Z"}\n{"k":"b","t":"yesterday"}\n{"k":"c","t":"2024-01-05T11:00:00Z"}\n';
    const src = await jsonl('t.jsonl', text, {}, { keyFields: ['k'], timeField: 't' });
    await expect(rowsOf(src)).rejects.toThrow(/t.jsonl line 2, column `t`: "yesterday" (is not|does not)/);
  });

  it('invalid UTF-8 is an error naming the file, line and column, or a bad row under on_bad_row', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"b'), Buffer.from([0xff, 0xfe]), Buffer.from('d"}\n{"a":"caf\u00e9 \ufffd"}\n')]);
    const src = await jsonl('u.jsonl', bytes);
    const err = await rowsOf(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/u.jsonl line 2, column 8: invalid UTF-8/);
    const skip = await jsonl('u2.jsonl', bytes, { on_bad_row: 'skip' });
    expect(await rowsOf(skip)).toEqual([{ a: 'ok' }, { a: 'caf\u00e9 \ufffd' }]);
    expect(skip.stats.rowsSkipped).toBe(1);
  });
});
