import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TimeUnit } from 'apache-arrow';
import type { Timestamp } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connector } from '../../../connectors/csv/index.js';
import type { CsvSource } from '../../../connectors/csv/index.js';
import { AbortedError, BadInputError, DataSource, NotFoundError, SpecError } from '../../../src/index.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-csv-')));
afterEach(async () => cleanup());

function source(path: string, attributes: Record<string, unknown> = {}): CsvSource {
  return connector.createSource!(new DataSource({ kind: 'csv', path, attributes }), { cwd: dir }) as CsvSource;
}

async function csv(name: string, text: string, attributes: Record<string, unknown> = {}): Promise<CsvSource> {
  await writeFile(join(dir, name), text);
  return source(name, attributes);
}

const types = (s: { fields: { name: string; type: unknown }[] }) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

describe('csv source', () => {
  it('infers the schema of a fixture and reads its rows', async () => {
    const src = source(join(process.cwd(), 'fixtures/data/events.csv'));
    const schema = await src.schema();
    expect(types(schema)).toEqual(['user_id:Utf8', 'amount:Int64', 'price:Float64', 'ts:Timestamp<MICROSECOND, UTC>', 'category:Utf8']);
    const { rows } = await readAll(src);
    expect(rows.map((r) => [r.user_id, r.amount, r.price, new Date(r.ts as number).toISOString(), r.category])).toEqual([
      ['u1', 3n, 9.5, '2024-01-05T10:00:00.000Z', 'books'],
      ['u2', 1n, 19.99, '2024-01-05T08:05:00.000Z', 'games'],
      ['u3', null, 0.5, '2024-01-05T10:10:00.123Z', 'books'],
      ['u1', 7n, null, '2024-01-05T11:00:00.000Z', null],
    ]);
    expect(src.stats).toEqual({ rowsRead: 4, rowsSkipped: 0, rowsQuarantined: 0 });
    expect(src.description).toMatch(/^csv file .*events.csv$/);
  });

  it('reads RFC 4180 quoting (delimiter, doubled quotes and CRLF inside quotes)', async () => {
    const src = source(join(process.cwd(), 'fixtures/data/rfc4180.csv'));
    const { rows } = await readAll(src);
    expect(rows).toEqual([
      { id: 1n, text: 'a, b', n: 10n },
      { id: 2n, text: 'he said "hi"', n: 20n },
      { id: 3n, text: 'line one\r\nline two', n: 30n },
      { id: 4n, text: null, n: 40n },
      { id: 5n, text: 'plain', n: 50n },
    ]);
  });

  it('takes another delimiter, and a file without a header (names 0..n-1 or attributes.columns)', async () => {
    expect((await readAll(await csv('semi.csv', 'a;b\n1;"x;y"\n', { delimiter: ';' }))).rows).toEqual([{ a: 1n, b: 'x;y' }]);
    expect((await readAll(await csv('nohead.csv', '1,x\n2,y\n', { header: false }))).rows).toEqual([{ 0: 1n, 1: 'x' }, { 0: 2n, 1: 'y' }]);
    const named = await csv('named.csv', '1,x\n', { header: false, columns: ['id', 'name'], schema: { id: 'int32' } });
    expect((await readAll(named)).rows).toEqual([{ id: 1, name: 'x' }]);
  });

  it('uses declared types, inferring the undeclared columns', async () => {
    const src = await csv('d.csv', 'id,zip,flag,day\n1,02139,yes,2024-01-05\n', { schema: { zip: 'string', flag: 'bool', day: 'date', id: 'int32' } });
    expect(types(await src.schema())).toEqual(['id:Int32', 'zip:Utf8', 'flag:Bool', 'day:Date32<DAY>']);
    expect((await readAll(src)).rows).toEqual([{ id: 1, zip: '02139', flag: true, day: Date.UTC(2024, 0, 5) }]);
  });

  it('a declared column missing from the file names it and lists the header', async () => {
    const src = await csv('m.csv', 'a,b\n1,2\n', { schema: { c: 'int64' } });
    await expect(readAll(src)).rejects.toThrow(BadInputError);
    await expect(src.schema()).rejects.toThrow(/m.csv: column `c` declared in attributes.schema is not in the file; columns: a, b/);
  });

  it('reads naive times as UTC or in attributes.time_zone, times with offsets as given, epochs in epoch_unit', async () => {
    const text = 'naive,offset,epoch\n2024-07-05T10:00:00,2024-07-05T10:00:00-04:00,1720173600\n';
    const iso = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).map((v) => new Date(v as number).toISOString()));
    const schema = { epoch: { type: 'timestamp', unit: 's' } };
    expect(iso((await readAll(await csv('t1.csv', text, { schema }))).rows)).toEqual([['2024-07-05T10:00:00.000Z', '2024-07-05T14:00:00.000Z', '2024-07-05T10:00:00.000Z']]);
    const berlin = await csv('t2.csv', text, { time_zone: 'Europe/Berlin', epoch_unit: 's', schema: { epoch: 'timestamp[ms]' } });
    expect(iso((await readAll(berlin)).rows)).toEqual([['2024-07-05T08:00:00.000Z', '2024-07-05T14:00:00.000Z', '2024-07-05T10:00:00.000Z']]);
    const epochType = (await berlin.schema()).fields[2]!.type as Timestamp;
    expect([epochType.unit, epochType.timezone]).toEqual([TimeUnit.MILLISECOND, 'UTC']);
  });

  it('a cell that does not parse names the file, line, column, value and expected type', async () => {
    const src = await csv('bad.csv', 'id,price\n1,2.5\n2,"3,5"\n', { schema: { price: 'float64' } });
    await expect(readAll(src)).rejects.toThrow(BadInputError);
    await expect(readAll(src)).rejects.toThrow(
      'bad.csv line 3, column `price`: "3,5" does not parse as float64 (a number such as 1.5 or -2e3); set attributes.on_bad_row to "skip" or "quarantine" to read past bad rows',
    );
  });

  it('a later row that breaks an inferred type says so and suggests declaring the type', async () => {
    const lines = ['id,n'];
    for (let i = 0; i < 1500; i++) lines.push(`${i},${i === 1200 ? 'n/a' : i}`);
    const src = await csv('infer.csv', lines.join('\n') + '\n');
    await expect(readAll(src)).rejects.toThrow(
      /infer.csv line 1202, column `n`: "n\/a" does not parse as int64 \(an integer such as 42\); the type was inferred from the first 1000 rows: declare the column's type in attributes.schema, e.g. schema: \{ "n": "string" \}/,
    );
    expect(types(await (await csv('infer2.csv', lines.join('\n'), { infer_rows: 1500 })).schema())).toEqual(['id:Int64', 'n:Utf8']);
  });

  it('a row with the wrong number of fields is malformed: file, line, expected and actual count', async () => {
    const src = await csv('short.csv', 'a,b,c\n1,2,3\n"x\ny",5\n');
    await expect(readAll(src)).rejects.toThrow('short.csv line 3: malformed row: expected 3 fields (as in the header) but found 2');
  });

  const BAD = 'id,n\n1,10\n2,zz\n3,30\n4\n5,"unclosed\n';

  it('on_bad_row: skip drops bad rows and counts them', async () => {
    const src = await csv('skip.csv', BAD, { on_bad_row: 'skip', schema: { n: 'int64' } });
    expect((await readAll(src)).rows).toEqual([{ id: 1n, n: 10n }, { id: 3n, n: 30n }]);
    expect(src.stats).toEqual({ rowsRead: 2, rowsSkipped: 3, rowsQuarantined: 0 });
  });

  it('on_bad_row: quarantine writes bad rows with the reason as JSON lines', async () => {
    const src = await csv('q.csv', BAD, { on_bad_row: 'quarantine', schema: { n: 'int64' } });
    expect((await readAll(src)).rows).toHaveLength(2);
    expect(src.stats).toEqual({ rowsRead: 2, rowsSkipped: 0, rowsQuarantined: 3 });
    const lines = (await readFile(join(dir, 'q.csv.quarantine.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ file: 'q.csv', line: 3, column: 'n', value: 'zz', fields: ['2', 'zz'], reason: expect.stringMatching(/line 3, column `n`: "zz" does not parse as int64/) }),
      expect.objectContaining({ line: 5, fields: ['4'], reason: 'q.csv line 5: malformed row: expected 2 fields (as in the header) but found 1' }),
      expect.objectContaining({ line: 6, raw: '5,"unclosed\n', reason: 'q.csv line 6: malformed row: a quoted field is not closed before the end of the file' }),
    ]);
    const custom = await csv('q2.csv', BAD, { on_bad_row: 'quarantine', quarantine_path: 'out/bad.jsonl' });
    await readAll(custom);
    expect((await readFile(join(dir, 'out/bad.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(custom.stats.rowsQuarantined);
  });

  it('a missing file is a NotFoundError naming the path', async () => {
    const src = source('nope/missing.csv');
    await expect(readAll(src)).rejects.toThrow(NotFoundError);
    await expect(readAll(src)).rejects.toThrow(`file not found: ${join(dir, 'nope/missing.csv')}`);
  });

  it('bad settings are SpecErrors naming the attribute', () => {
    expect(() => source('x.csv', { delimiter: ',,' })).toThrow(SpecError);
    expect(() => source('x.csv', { delimiter: ',,' })).toThrow(/attributes.delimiter: ",," is not a delimiter/);
    expect(() => source('x.csv', { on_bad_row: 'ignore' })).toThrow(/attributes.on_bad_row: "ignore" is not accepted; expected one of error, skip, quarantine/);
    expect(() => source('x.csv', { time_zone: 'CEST' })).toThrow(/attributes.time_zone: "CEST" is not an IANA time zone/);
    expect(() => source('x.csv', { schema: { a: 'int' } })).toThrow(/attributes.schema.a: "int" is not a column type/);
  });

  it('an empty file has no header; a header-only file yields no batches', async () => {
    await expect(readAll(await csv('empty.csv', ''))).rejects.toThrow(/empty.csv: the file is empty; expected a header row/);
    const src = await csv('head.csv', 'a,b\n');
    expect((await readAll(src)).batches).toEqual([]);
    expect(types(await src.schema())).toEqual(['a:Utf8', 'b:Utf8']);
  });

  it('yields batches of at most batchSize rows at the boundaries', async () => {
    for (const n of [1, 3, 4, 5, 8, 9]) {
      const body = Array.from({ length: n }, (_, i) => `${i}`).join('\n');
      const { batches, rows } = await readAll(await csv(`b${n}.csv`, `i\n${body}\n`), { batchSize: 4 });
      expect(batches.map((b) => b.numRows), `${n} rows`).toEqual([...Array(Math.floor(n / 4)).fill(4), ...(n % 4 ? [n % 4] : [])]);
      expect(rows.map((r) => r.i)).toEqual(Array.from({ length: n }, (_, i) => BigInt(i)));
    }
  });

  it('streams a 200k-row file in bounded batches', async () => {
    const lines = ['key,n,x,ts,cat'];
    for (let i = 0; i < 200_000; i++) lines.push(`k${i},${i},${i / 4},2024-01-05T10:00:${String(i % 60).padStart(2, '0')}Z,c${i % 7}`);
    const src = await csv('big.csv', lines.join('\n') + '\n');
    let rows = 0;
    let sum = 0n;
    let maxBatch = 0;
    for await (const b of src.read({ batchSize: 7_000 })) {
      rows += b.numRows;
      maxBatch = Math.max(maxBatch, b.numRows);
      for (const v of b.getChild('n')!) sum += v as bigint;
    }
    expect(rows).toBe(200_000);
    expect(maxBatch).toBe(7_000);
    expect(sum).toBe(BigInt((200_000 * 199_999) / 2));
    expect(src.stats.rowsRead).toBe(200_000);
  });

  it('stops with an AbortedError when the signal aborts', async () => {
    const lines = ['i'];
    for (let i = 0; i < 50_000; i++) lines.push(String(i));
    const src = await csv('abort.csv', lines.join('\n'));
    const ac = new AbortController();
    let seen = 0;
    const run = async () => {
      for await (const b of src.read({ batchSize: 100, signal: ac.signal })) {
        seen += b.numRows;
        if (seen === 200) ac.abort();
      }
    };
    await expect(run()).rejects.toThrow(AbortedError);
    expect(seen).toBe(200);
    const pre = new AbortController();
    pre.abort();
    await expect(src.read({ signal: pre.signal })[Symbol.asyncIterator]().next()).rejects.toThrow(/reading abort.csv was aborted/);
  });

  it('reads through a pluggable openRead (any Node Readable)', async () => {
    const opened: string[] = [];
    const src = connector.createSource!(new DataSource({ kind: 'csv', path: 's3://bucket/k.csv' }), {
      openRead: async (p) => {
        opened.push(p);
        return Readable.from([Buffer.from('a,b\n1,'), Buffer.from('"x"\n')]);
      },
    });
    const rows: unknown[] = [];
    for await (const b of src.read()) rows.push(...b.toArray().map((r) => r.toJSON()));
    expect(opened).toEqual(['s3://bucket/k.csv']);
    expect(rows).toEqual([{ a: 1n, b: 'x' }]);
  });
});
