import { SpecError, validateFilters } from '../../src/index.js';
import type { DataSource, SourceContext, SourceFilter } from '../../src/index.js';
import { relationLabel } from './pg-relation.js';
import type { PgRelation } from './pg-relation.js';
import type { NumericAs } from './pg-types.js';
import { resolvePgUrl } from './pg-url.js';
import type { PgUrl } from './pg-url.js';

/** Rows per `FETCH` and per batch when `attributes.chunksize` is not set (MLRun's SQLSource default). */
export const DEFAULT_CHUNKSIZE = 10_000;

/** The settings of a `sql` (`sqldb`) source, validated once. */
export interface PostgresOptions {
  url: PgUrl;
  relation: PgRelation;
  keyFields: string[];
  timeField?: string;
  /** Exclusive lower bound of `timeField`, pushed into the WHERE clause. */
  startTime?: Date;
  /** Inclusive upper bound of `timeField`, pushed into the WHERE clause. */
  endTime?: Date;
  filters: SourceFilter[];
  /** Rows per `FETCH` and per yielded batch. */
  chunksize: number;
  numericAs: NumericAs;
  /** `sql <redacted url> <table or query>`. */
  description: string;
}

/** Where the options reader looks for secrets and fallbacks; `env` defaults to `process.env`. */
export interface PostgresOptionsContext {
  secrets?: SourceContext['secrets'];
  env?: Record<string, string | undefined>;
}

function optionalString(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new SpecError(`${what}: ${JSON.stringify(v)} is not a non-empty string`);
  return v;
}

function relationOf(a: Record<string, unknown>, where: string): PgRelation {
  const table = optionalString(a.table_name, `${where}: attributes.table_name`);
  const query = optionalString(a.query, `${where}: attributes.query`);
  const schema = optionalString(a.db_schema, `${where}: attributes.db_schema`);
  if ((table === undefined) === (query === undefined)) {
    throw new SpecError(`${where}: set exactly one of attributes.table_name and attributes.query (${table === undefined ? 'neither is set' : 'both are set'}); e.g. table_name: events, or query: SELECT * FROM events`);
  }
  if (query !== undefined) {
    if (schema !== undefined) throw new SpecError(`${where}: attributes.db_schema applies to table_name, not to query; qualify the tables inside the query instead`);
    return { query: query.replace(/[\s;]+$/, '') };
  }
  const t = table as string;
  if (schema !== undefined) return { table: t, schema };
  const dot = t.indexOf('.');
  return dot > 0 && dot < t.length - 1 ? { schema: t.slice(0, dot), table: t.slice(dot + 1) } : { table: t };
}

/**
 * Reads the settings of a `sql` source (MLRun's `SQLSource`, kind `sqldb`):
 * - the URL from `attributes.db_url`, `path`, the secret `SQL_DB_URL` or the env (see `resolvePgUrl`);
 * - exactly one of `attributes.table_name` (`name` or `schema.name`; with `attributes.db_schema` the name is
 *   taken literally) and `attributes.query` (wrapped as a subquery; trailing `;` dropped);
 * - `key_field`, `time_field`, `start_time` (exclusive), `end_time` (inclusive), `attributes.additional_filters`;
 * - `attributes.chunksize` (rows per FETCH and per batch, default 10,000);
 * - `attributes.numeric_as`: `float64` (default) or `string` (exact text) for `numeric` columns.
 * Other attributes (`spark_options`, `parse_dates`, ...) are ignored. Throws a {@link SpecError} naming the key.
 */
export function parsePostgresOptions(spec: DataSource, ctx: PostgresOptionsContext = {}): PostgresOptions {
  const where = `sql source${spec.name ? ` "${spec.name}"` : ''}`;
  const a = spec.attributes ?? {};
  const url = resolvePgUrl({
    dbUrl: a.db_url,
    ...(spec.path !== undefined ? { path: spec.path } : {}),
    ...(spec.credentialsPrefix ? { credentialsPrefix: spec.credentialsPrefix } : {}),
    ...(ctx.secrets ? { secrets: ctx.secrets } : {}),
    env: ctx.env ?? process.env,
    where,
  });
  const relation = relationOf(a, where);
  let chunksize = DEFAULT_CHUNKSIZE;
  if (a.chunksize !== undefined && a.chunksize !== null) {
    if (typeof a.chunksize !== 'number' || !Number.isInteger(a.chunksize) || a.chunksize < 1) {
      throw new SpecError(`${where}: attributes.chunksize ${JSON.stringify(a.chunksize)} is not a positive integer; expected rows per fetch, e.g. 10000`);
    }
    chunksize = a.chunksize;
  }
  const numericAs = a.numeric_as ?? 'float64';
  if (numericAs !== 'float64' && numericAs !== 'string') {
    throw new SpecError(`${where}: attributes.numeric_as ${JSON.stringify(numericAs)} is not known; expected "float64" or "string"`);
  }
  const keyFields = spec.keyField === undefined ? [] : Array.isArray(spec.keyField) ? [...spec.keyField] : [spec.keyField];
  const filters = validateFilters(a.additional_filters, `${where}: attributes.additional_filters`);
  return {
    url,
    relation,
    keyFields,
    ...(spec.timeField ? { timeField: spec.timeField } : {}),
    ...(spec.startTime ? { startTime: spec.startTime } : {}),
    ...(spec.endTime ? { endTime: spec.endTime } : {}),
    filters,
    chunksize,
    numericAs,
    description: `sql ${url.display} ${relationLabel(relation)}`,
  };
}
