import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connector } from '../../../connectors/csv/index.js';
import type { CsvSource } from '../../../connectors/csv/index.js';
import { BadInputError, DataSource } from '../../../src/index.js';
import type { SourceContext } from '../../../src/index.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-csv-decl-')));
afterEach(async () => cleanup());

async function csv(name: string, text: string | Buffer, attributes: Record<string, unknown> = {}, ctx: SourceContext = {}): Promise<CsvSource> {
  await writeFile(join(dir, name), text);
  return connector.createSource!(new DataSource({ kind: 'csv', path: name, attributes }), { cwd: dir, ...ctx }) as CsvSource;
}

const rowsOf = async (src: CsvSource) => (await readAll(src)).rows;

const types = (s: { fields: { name: string; type: unknown }[] }) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

describe('csv source: declared types, key and time checks, UTF-8', () => {
  it('the feature set declared types drive the columns; attributes.schema wins', async () => {
    const src = await csv('a.csv', 'user_id,zip,n\n001,01234,5\n007,02345,6\n', { schema: { n: 'float64' } }, {
      columnTypes: { user_id: { type: 'string' }, zip: { type: 'string' }, n: { type: 'int32' }, absent: { type: 'string' } },
    });
    expect(types(await src.schema())).toEqual(['user_id:Utf8', 'zip:Utf8', 'n:Float64']);
    expect(await rowsOf(src)).toEqual([{ user_id: '001', zip: '01234', n: 5 }, { user_id: '007', zip: '02345', n: 6 }]);
  });

  it('a time field that inference cannot read as a time names the first line and value that defeated it', async () => {
    const src = await csv('t.csv', 'k,t\na,2024-01-05T10:00:00Z\n"b\nb",yesterday\nc,2024-01-05T11:00:00Z\n', {}, { keyFields: ['k'], timeField: 't' });
    await expect(rowsOf(src)).rejects.toThrow(/t.csv line 3, column `t`: "yesterday" does not parse as timestamp/);
  });

  it('a row with more cells than the header is a bad row', async () => {
    const src = await csv('long.csv', 'a,b\n1,2\n3,4,5\n', { on_bad_row: 'skip' });
    expect(await rowsOf(src)).toEqual([{ a: 1n, b: 2n }]);
    expect(src.stats.rowsSkipped).toBe(1);
    await expect(rowsOf(await csv('long2.csv', 'a,b\n1,2\n3,4,5\n'))).rejects.toThrow('long2.csv line 3: malformed row: expected 2 fields (as in the header) but found 3');
  });

  it('invalid UTF-8 is an error naming the file, line and column, or a bad row under on_bad_row; a real U+FFFD stays', async () => {
    const bytes = Buffer.concat([Buffer.from('id,name\n1,ok\n2,"multi\nline"\n3,b'), Buffer.from([0xc3, 0x28]), Buffer.from('d\n4,caf\u00e9 \ufffd\n')]);
    const err = await rowsOf(await csv('u.csv', bytes)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/u.csv line 5, column `name`: invalid UTF-8/);
    const skip = await csv('u2.csv', bytes, { on_bad_row: 'skip' });
    expect((await rowsOf(skip)).map((r) => r.name)).toEqual(['ok', 'multi\nline', 'caf\u00e9 \ufffd']);
    expect(skip.stats.rowsSkipped).toBe(1);
    await expect(rowsOf(await csv('h.csv', Buffer.concat([Buffer.from('id,n'), Buffer.from([0xff]), Buffer.from('\n1,2\n')])))).rejects.toThrow(/h.csv line 1: .*invalid UTF-8/);
  });

  it('a row with invalid UTF-8 does not take part in type inference', async () => {
    const bytes = Buffer.concat([Buffer.from('id,n\n1,10\n2,1'), Buffer.from([0xff]), Buffer.from('\n3,30\n')]);
    const src = await csv('i.csv', bytes, { on_bad_row: 'skip' });
    expect(types(await src.schema())).toEqual(['id:Int64', 'n:Int64']);
    expect(await rowsOf(src)).toEqual([{ id: 1n, n: 10n }, { id: 3n, n: 30n }]);
  });

  it('a multi-byte character split across read chunks decodes whole', async () => {
    const cell = '\u00e9\u4e2d\u{1f600}'.repeat(200_000);
    const src = await csv('big.csv', `id,s\n1,${cell}\n2,x\n`);
    const rows = await rowsOf(src);
    expect(rows.map((r) => r.s)).toEqual([cell, 'x']);
  });
});
