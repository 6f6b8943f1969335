/**
 * The `sql` connector (also registered as MLRun's kind `sqldb`): a PostgreSQL source read through a
 * server-side cursor, with the time window and filters pushed into the WHERE clause. Loaded lazily by
 * `connectors/registry.ts`; importing it changes no global `pg` setting.
 *
 * @example
 * const { connector } = await import('./connectors/postgres/index.js');
 * const src = connector.createSource!(new DataSource({
 *   kind: 'sql', keyField: 'user_id', timeField: 'ts',
 *   attributes: { db_url: 'postgres://app@db:5432/shop', table_name: 'public.events', chunksize: 5000 },
 * }), { secrets });
 */
import type { ConnectorModule, DataSource, SourceContext } from '../../src/index.js';
import { parsePostgresOptions } from './pg-options.js';
import { PostgresSource } from './postgres-source.js';

export { PostgresSource } from './postgres-source.js';
export { parsePostgresOptions, DEFAULT_CHUNKSIZE } from './pg-options.js';
export type { PostgresOptions, PostgresOptionsContext } from './pg-options.js';
export { resolvePgUrl } from './pg-url.js';
export type { PgUrl, PgUrlInputs } from './pg-url.js';
export { buildSelect, findColumn } from './select-sql.js';
export type { SelectPlan, SelectSql } from './select-sql.js';
export { quoteIdent, fromItem, relationLabel } from './pg-relation.js';
export type { PgRelation } from './pg-relation.js';
export { pgColumn, TEXT_TYPES } from './pg-types.js';
export type { PgColumn, PgCompareClass, NumericAs } from './pg-types.js';
export { leaseConnection } from './pg-lease.js';
export type { PgConnectOptions, PgLease } from './pg-lease.js';
export { pgError } from './pg-error.js';

/** The source `attributes` keys this connector parses (the ingestion plan refuses others; the typed options use them). */
export const SQL_SOURCE_SETTINGS = ['db_url', 'table_name', 'query', 'db_schema', 'chunksize', 'numeric_as'] as const;

/** The sql connector module; the same module serves kind `sqldb`. */
export const connector: ConnectorModule = {
  kind: 'sql',
  sourceSettings: SQL_SOURCE_SETTINGS,
  parseSpec: (spec: DataSource) => parsePostgresOptions(spec),
  createSource: (spec: DataSource, ctx: SourceContext = {}) =>
    new PostgresSource(parsePostgresOptions(spec, ctx.secrets ? { secrets: ctx.secrets } : {})),
};
