import { DataType, TimeUnit } from 'apache-arrow';
import type { RecordBatch, Timestamp } from 'apache-arrow';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError, DataSource } from '../../../src/index.js';
import type { DataSourceOptions } from '../../../src/index.js';
import { connector, parsePostgresOptions, PostgresSource } from '../../../connectors/postgres/index.js';
import { services, uniqueName } from '../../support/services.js';
import { readAll } from '../../support/read-all.js';

const SCHEMA = uniqueName('sluice_pg_types');
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: services.pgUrl() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.query(`CREATE TABLE ${SCHEMA}.all_types (
    id int4, i2 int2, i8 int8, f4 float4, f8 float8, num numeric(30, 10), t text, vc varchar(10), ch char(4),
    u uuid, b bool, ts timestamp(6), tstz timestamptz(6), d date, j json, jb jsonb, iv interval, arr int4[])`);
  await admin.query(`SET TIME ZONE 'America/New_York'`);
  await admin.query(`INSERT INTO ${SCHEMA}.all_types VALUES
    (1, -32768, 9007199254740993, 1.5, 0.1, 12345678901234567890.0123456789, 'héllo', '', 'ab',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true, '2024-01-05 10:20:30.123456', '2024-07-01 12:00:00.654321-07', '2024-02-29',
     '{"a": [1, 2]}', '{"b": {"c": null}}', '1 day 02:00:00', '{1,2,3}'),
    (2, 32767, -9223372036854775808, 'NaN', '-Infinity', -0.5, NULL, NULL, NULL, NULL, false, '1969-12-31 23:59:59.999999', '2024-01-01 00:00:00+00', '1900-01-01',
     NULL, NULL, NULL, NULL),
    (3, NULL, 9223372036854775807, NULL, NULL, NULL, 'x', 'y', 'abcd', NULL, NULL, NULL, NULL, NULL, 'null', '[]', NULL, '{}')`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});

function source(attributes: Record<string, unknown> = {}, o: DataSourceOptions = {}): PostgresSource {
  return new PostgresSource(parsePostgresOptions(new DataSource({
    kind: 'sql', keyField: 'id', attributes: { db_url: services.pgUrl(), table_name: `${SCHEMA}.all_types`, ...attributes }, ...o,
  })));
}

const readBatches = async (src: PostgresSource) => (await readAll(src)).batches;

function column(batch: RecordBatch, name: string): unknown[] {
  return [...batch.getChild(name)!];
}

describe('sql source: PostgreSQL types → Arrow', () => {
  it('schema() maps every column type without reading rows', async () => {
    const schema = await source().schema();
    const types = Object.fromEntries(schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      id: 'Int32', i2: 'Int32', i8: 'Int64', f4: 'Float64', f8: 'Float64', num: 'Float64', t: 'Utf8', vc: 'Utf8', ch: 'Utf8',
      u: 'Utf8', b: 'Bool', ts: 'Timestamp<MICROSECOND, UTC>', tstz: 'Timestamp<MICROSECOND, UTC>', d: 'Date32<DAY>',
      j: 'Utf8', jb: 'Utf8', iv: 'Utf8', arr: 'Utf8',
    });
    const ts = schema.fields.find((f) => f.name === 'ts')!.type as Timestamp;
    expect(DataType.isTimestamp(ts) && ts.unit === TimeUnit.MICROSECOND && ts.timezone === 'UTC').toBe(true);
  });

  it('reads every value exactly: int8 past 2^53, µs timestamps, timestamptz from another zone, nulls, empty strings', async () => {
    const [batch, ...rest] = await readBatches(source());
    expect(rest).toEqual([]);
    expect(batch!.numRows).toBe(3);
    expect(column(batch!, 'id')).toEqual([1, 2, 3]);
    expect(column(batch!, 'i2')).toEqual([-32768, 32767, null]);
    expect(column(batch!, 'i8')).toEqual([9007199254740993n, -9223372036854775808n, 9223372036854775807n]);
    expect(column(batch!, 'f4')).toEqual([1.5, NaN, null]);
    expect(column(batch!, 'f8')).toEqual([0.1, -Infinity, null]);
    expect(column(batch!, 'num')).toEqual([Number('12345678901234567890.0123456789'), -0.5, null]);
    expect(column(batch!, 't')).toEqual(['héllo', null, 'x']);
    expect(column(batch!, 'vc')).toEqual(['', null, 'y']);
    expect(column(batch!, 'ch')).toEqual(['ab  ', null, 'abcd']);
    expect(column(batch!, 'u')).toEqual(['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', null, null]);
    expect(column(batch!, 'b')).toEqual([true, false, null]);
    const us = (iso: string, micros: number) => BigInt(Date.parse(iso)) * 1000n + BigInt(micros);
    // Raw microsecond counts: naive timestamp read as UTC; timestamptz as its instant.
    const tsData = batch!.getChild('ts')!.data[0]!.values as BigInt64Array;
    expect([tsData[0], tsData[1]]).toEqual([us('2024-01-05T10:20:30.123Z', 456), us('1969-12-31T23:59:59.999Z', 999)]);
    expect(batch!.getChild('ts')!.get(2)).toBeNull();
    const tzData = batch!.getChild('tstz')!.data[0]!.values as BigInt64Array;
    expect([tzData[0], tzData[1]]).toEqual([us('2024-07-01T19:00:00.654Z', 321), us('2024-01-01T00:00:00.000Z', 0)]);
    expect(column(batch!, 'd')).toEqual([Date.UTC(2024, 1, 29), Date.UTC(1900, 0, 1), null]);
    expect(column(batch!, 'j')).toEqual(['{"a": [1, 2]}', null, 'null']);
    expect(column(batch!, 'jb')).toEqual(['{"b": {"c": null}}', null, '[]']);
    expect(column(batch!, 'iv')).toEqual(['1 day 02:00:00', null, null]);
    expect(column(batch!, 'arr')).toEqual(['{1,2,3}', null, '{}']);
  });

  it('a time window applies to naive timestamp (as UTC) and date columns too', async () => {
    const ids = async (timeField: string, startTime: string, endTime?: string) => {
      const src = source({}, { timeField, startTime, ...(endTime ? { endTime } : {}) });
      const out: unknown[] = [];
      for await (const b of src.read()) out.push(...b.getChild('id')!);
      return out;
    };
    expect(await ids('ts', '1969-12-31T23:59:59.999Z')).toEqual([2, 1]);
    expect(await ids('ts', '1969-01-01T00:00:00Z', '2024-01-05T10:20:30.123Z')).toEqual([2]);
    expect(await ids('d', '1900-01-01T00:00:00Z')).toEqual([1]);
    expect(await ids('d', '1899-12-31T23:59:59Z', '2024-02-29T00:00:00Z')).toEqual([2, 1]);
  });

  it('numeric_as: string keeps numeric exact', async () => {
    const src = source({ numeric_as: 'string' });
    expect(String((await src.schema()).fields.find((f) => f.name === 'num')!.type)).toBe('Utf8');
    const [batch] = await readBatches(src);
    expect(column(batch!, 'num')).toEqual(['12345678901234567890.0123456789', '-0.5000000000', null]);
  });

  it('sets no global pg type parser: a plain pg query still gets numbers and Dates', async () => {
    await readBatches(source());
    const r = await admin.query(`SELECT i2, ts FROM ${SCHEMA}.all_types WHERE id = 1`);
    expect(typeof r.rows[0].i2).toBe('number');
    expect(r.rows[0].ts).toBeInstanceOf(Date);
  });

  it('an infinite timestamp stops the read with a BadInputError naming the row, column and value', async () => {
    const table = `${SCHEMA}.inf_times`;
    await admin.query(`CREATE TABLE ${table} (id int4, ts timestamp)`);
    await admin.query(`INSERT INTO ${table} VALUES (1, '2024-01-01'), (2, 'infinity')`);
    const src = new PostgresSource(parsePostgresOptions(new DataSource({ kind: 'sql', attributes: { db_url: services.pgUrl(), table_name: table } })));
    const err = await readBatches(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/row 2, column `ts` \(timestamp\): "infinity" does not fit timestamp/);
  });

  it('the connector module is registered for kinds sql and sqldb', async () => {
    const { loadConnector } = await import('../../../connectors/loaders.js');
    expect(await loadConnector('sql')).toBe(connector);
    expect(await loadConnector('sqldb')).toBe(connector);
    expect(connector.kind).toBe('sql');
  });
});
