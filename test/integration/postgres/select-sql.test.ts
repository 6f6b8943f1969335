import { describe, expect, it } from 'vitest';
import { BadInputError, DataSource, SpecError } from '../../../src/index.js';
import { buildSelect, DEFAULT_CHUNKSIZE, parsePostgresOptions, pgColumn, quoteIdent } from '../../../connectors/postgres/index.js';
import type { SelectPlan } from '../../../connectors/postgres/index.js';

// The SQL builder and the spec reader are pure; the other files in this folder run the SQL on PostgreSQL.
const columns = [
  pgColumn('id', 20), pgColumn('ts', 1184), pgColumn('day', 1082), pgColumn('name', 25), pgColumn('ok', 16), pgColumn('x"y', 701),
];
const plan = (p: Partial<SelectPlan>): SelectPlan => ({ relation: { table: 'ev', schema: 'my schema' }, columns, filters: [], orderBy: [], description: 'sql test', ...p });

describe('buildSelect', () => {
  it('puts the window and filters in the WHERE clause as cast parameters, never as text', () => {
    const sql = buildSelect(plan({
      timeField: 'ts',
      startTime: new Date('2024-01-01T00:00:00Z'),
      endTime: new Date('2024-01-02T00:00:00.5Z'),
      filters: [['id', '>', 5], ['name', 'in', ['a', "b'; DROP TABLE ev; --"]], ['ok', '==', true], ['x"y', 'not in', [1.5, 2n]], ['name', '<=', 'm'], ['day', '!=', '2024-01-05']],
      orderBy: ['ts', 'id'],
    }));
    expect(sql.text).toBe(
      'SELECT * FROM "my schema"."ev" AS src WHERE "ts" > $1::timestamptz AND "ts" <= $2::timestamptz AND "id" > $3::numeric' +
        ' AND "name"::text = ANY($4::text[]) AND "ok" = $5::boolean AND "x""y" <> ALL($6::numeric[])' +
        ' AND ("name"::text COLLATE "C") <= $7::text AND "day" <> $8::timestamptz ORDER BY "ts", "id"',
    );
    expect(sql.values).toEqual([
      '2024-01-01T00:00:00.000000Z', '2024-01-02T00:00:00.500000Z', '5', ['a', "b'; DROP TABLE ev; --"], 'true', ['1.5', '2'], 'm', '2024-01-05T00:00:00.000000Z',
    ]);
  });

  it('wraps a query as a subquery and keeps time strings to the microsecond', () => {
    const sql = buildSelect(plan({ relation: { query: 'SELECT * FROM t' }, filters: [['ts', '>=', '2024-03-01T10:00:00.1234567+02:00']] }));
    expect(sql).toEqual({ text: 'SELECT * FROM (SELECT * FROM t) AS src WHERE "ts" >= $1::timestamptz', values: ['2024-03-01T08:00:00.123456Z'] });
    expect(buildSelect(plan({ filters: [['ts', '<', new Date(-1)]] })).values).toEqual(['1969-12-31T23:59:59.999000Z']);
  });

  it('refuses unknown columns (listing the columns) and values that do not fit the column', () => {
    expect(() => buildSelect(plan({ filters: [['nope', '==', 1]] }))).toThrow(BadInputError);
    expect(() => buildSelect(plan({ filters: [['nope', '==', 1]] }))).toThrow('sql test: additional_filters[0]: filter column `nope` is not in the data; columns: id, ts, day, name, ok, x"y');
    expect(() => buildSelect(plan({ orderBy: ['k'] }))).toThrow('key column `k` is not in the data');
    expect(() => buildSelect(plan({ filters: [['id', '==', 'abc']] }))).toThrow(/value "abc" does not fit column `id`.*expected an integer/);
    expect(() => buildSelect(plan({ filters: [['ok', '==', 1]] }))).toThrow(/expected true or false/);
    expect(() => buildSelect(plan({ startTime: new Date(0) }))).toThrow('start_time/end_time need a time_field');
    expect(() => buildSelect(plan({ timeField: 'name', endTime: new Date(0) }))).toThrow('time column `name` is text; a time window needs a timestamp, timestamptz or date column');
  });

  it('quotes identifiers by doubling embedded quotes', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
  });
});

describe('parsePostgresOptions', () => {
  const url = 'postgres://app@db.example:5432/shop';
  const parse = (o: ConstructorParameters<typeof DataSource>[0], ctx: Parameters<typeof parsePostgresOptions>[1] = { env: {} }) =>
    parsePostgresOptions(new DataSource({ kind: 'sql', ...o }), ctx);

  it('reads table_name (schema.name), chunksize and the defaults', () => {
    const o = parse({ keyField: ['a', 'b'], timeField: 'ts', attributes: { db_url: url, table_name: 'sales.orders' } });
    expect(o.relation).toEqual({ schema: 'sales', table: 'orders' });
    expect(o.chunksize).toBe(DEFAULT_CHUNKSIZE);
    expect(o.numericAs).toBe('float64');
    expect(o.keyFields).toEqual(['a', 'b']);
    expect(o.description).toBe('sql postgres://app@db.example:5432/shop table "sales"."orders"');
    expect(parse({ attributes: { db_url: url, table_name: 'a.b', db_schema: 's', chunksize: 7 } })).toMatchObject({ relation: { schema: 's', table: 'a.b' }, chunksize: 7 });
  });

  it('needs exactly one of table_name and query, naming both', () => {
    expect(() => parse({ attributes: { db_url: url } })).toThrow(SpecError);
    expect(() => parse({ attributes: { db_url: url } })).toThrow('set exactly one of attributes.table_name and attributes.query (neither is set)');
    expect(() => parse({ attributes: { db_url: url, table_name: 't', query: 'SELECT 1' } })).toThrow('attributes.table_name and attributes.query (both are set)');
    expect(parse({ attributes: { db_url: url, query: 'SELECT 1 ;\n' } }).relation).toEqual({ query: 'SELECT 1' });
  });

  it('refuses bad chunksize, numeric_as and additional_filters, naming the key and value', () => {
    expect(() => parse({ attributes: { db_url: url, table_name: 't', chunksize: 0 } })).toThrow('attributes.chunksize 0 is not a positive integer');
    expect(() => parse({ attributes: { db_url: url, table_name: 't', numeric_as: 'decimal' } })).toThrow('attributes.numeric_as "decimal" is not known');
    expect(() => parse({ attributes: { db_url: url, table_name: 't', additional_filters: [['a', 'like', 1]] } })).toThrow(/additional_filters\[0\]: op "like" is not known/);
  });

  it('finds the URL in db_url, path, the SQL_DB_URL secret, or the environment, and never shows the password', () => {
    expect(parse({ path: url, attributes: { table_name: 't' } }).url.display).toBe(url);
    const secrets = { get: (k: string) => ({ DB_SQL_DB_URL: url, DB_PG_PASSWORD: 'p@ss/w' } as Record<string, string>)[k] };
    const o = parse({ credentialsPrefix: 'DB', attributes: { table_name: 't' } }, { secrets, env: {} });
    expect(o.url.connectionString).toBe('postgres://app:p%40ss%2Fw@db.example:5432/shop');
    expect(o.url.display).toBe('postgres://app:***@db.example:5432/shop');
    expect(o.url.secretValues).toEqual(['p@ss/w', 'p%40ss%2Fw']);
    expect(parse({ attributes: { table_name: 't' } }, { env: { MLRUN_SQL__URL: url } }).url.display).toBe(url);
    expect(() => parse({ attributes: { table_name: 't' } })).toThrow('no database URL; set attributes.db_url (postgres://user@host:5432/db), the secret SQL_DB_URL');
    expect(() => parse({ attributes: { db_url: 'mysql://u:topsecret@h/db', table_name: 't' } })).toThrow('attributes.db_url "mysql://u:***@h/db" is not a PostgreSQL URL');
    expect(() => parse({ path: 'data/x.csv', attributes: { table_name: 't' } })).toThrow('path "data/x.csv" is not a postgres:// URL');
  });
});
