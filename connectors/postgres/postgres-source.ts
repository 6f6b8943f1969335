import type { RecordBatch, Schema } from 'apache-arrow';
import pg from 'pg';
import { AbortedError, BadInputError, schemaOf, SluiceError, SpecError, ValueBatchBuilder } from '../../src/index.js';
import type { ReadOptions, Source, SourceStats } from '../../src/index.js';
import { leaseConnection } from './pg-lease.js';
import type { PgConnectOptions, PgLease } from './pg-lease.js';
import { pgError } from './pg-error.js';
import type { PostgresOptions } from './pg-options.js';
import { fromItem } from './pg-relation.js';
import { pgColumn, TEXT_TYPES } from './pg-types.js';
import type { PgColumn } from './pg-types.js';
import { buildSelect } from './select-sql.js';

const CURSOR = 'sluice_read';
/** Session settings that make the text forms parseable: UTC times, ISO dates, shortest exact floats. */
const SESSION = "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL extra_float_digits = 1";

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/**
 * A PostgreSQL {@link Source} (kind `sql`, MLRun's `sqldb`). Each `read()` runs in one read-only transaction
 * on one connection: a `LIMIT 0` probe gives the columns (checked against key, time and filter names), then
 * `DECLARE ... NO SCROLL CURSOR` over the query with the time window and `additional_filters` in its WHERE
 * clause as bound parameters, ordered by the time field then the keys, and `FETCH <chunksize>` until the end:
 * each fetch is one record batch, so memory is bounded by `chunksize`. Values come as PostgreSQL text (per
 * query type parsers, nothing global) and fill typed Arrow columns: int8 exactly, timestamps to the µs.
 * An abort between fetches closes the cursor and rolls back; an abort during a fetch closes the connection.
 *
 * @example
 * const src = new PostgresSource(parsePostgresOptions(new DataSource({ kind: 'sql', attributes: { db_url, table_name: 'events' } })));
 * for await (const batch of src.read()) console.log(batch.numRows);
 */
export class PostgresSource implements Source {
  readonly description: string;
  readonly stats: SourceStats = { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 };
  private knownSchema: Schema | undefined;

  constructor(readonly options: PostgresOptions, private readonly connect: PgConnectOptions = {}) {
    this.description = options.description;
  }

  async schema(o: { signal?: AbortSignal } = {}): Promise<Schema> {
    if (this.knownSchema) return this.knownSchema;
    this.checkAbort(o.signal);
    const lease = await this.lease(o.signal);
    let broken = false;
    try {
      this.knownSchema = schemaOf(await this.probe(lease.client));
      return this.knownSchema;
    } catch (err) {
      // A server error (or our own) leaves the connection usable; anything else may have broken it.
      broken = !(err instanceof pg.DatabaseError) && !(err instanceof SluiceError);
      throw pgError(err, this.description, this.options.url.secretValues, o.signal);
    } finally {
      await lease.release(broken);
    }
  }

  async *read(o: ReadOptions = {}): AsyncGenerator<RecordBatch> {
    const opts = this.options;
    const n = Math.min(opts.chunksize, o.batchSize ?? opts.chunksize);
    if (!Number.isInteger(n) || n < 1) throw new SpecError(`${this.description}: batchSize ${JSON.stringify(o.batchSize)} is not a positive integer`);
    Object.assign(this.stats, { rowsRead: 0, rowsSkipped: 0, rowsQuarantined: 0 });
    const signal = o.signal;
    this.checkAbort(signal);
    const lease = await this.lease(signal);
    const client = lease.client;
    let inTransaction = false;
    let declared = false;
    let busy = false;
    let destroyed = false;
    const onAbort = (): void => {
      if (!busy || destroyed) return;
      destroyed = true; // a query is on the wire: closing the connection is the only prompt way out
      void lease.release(true);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = async <T>(query: () => Promise<T>): Promise<T> => {
      busy = true;
      try {
        return await query();
      } finally {
        busy = false;
      }
    };
    let failed = false;
    try {
      await run(() => client.query('BEGIN READ ONLY'));
      inTransaction = true;
      await run(() => client.query(SESSION));
      const columns = await run(() => this.probe(client));
      this.knownSchema ??= schemaOf(columns);
      const sql = buildSelect({
        relation: opts.relation,
        columns,
        ...(opts.timeField !== undefined ? { timeField: opts.timeField } : {}),
        ...(opts.startTime !== undefined ? { startTime: opts.startTime } : {}),
        ...(opts.endTime !== undefined ? { endTime: opts.endTime } : {}),
        filters: opts.filters,
        orderBy: [...(opts.timeField !== undefined ? [opts.timeField] : []), ...opts.keyFields.filter((k) => k !== opts.timeField)],
        description: this.description,
      });
      await run(() => client.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql.text}`, sql.values));
      declared = true;
      const builder = new ValueBatchBuilder(columns, { capacity: n });
      for (;;) {
        this.checkAbort(signal);
        const r = await run(() => client.query<unknown[]>({ text: `FETCH ${n} FROM ${CURSOR}`, rowMode: 'array', types: TEXT_TYPES }));
        for (const row of r.rows) {
          const k = builder.appendRow(row);
          if (k >= 0) throw this.badValue(columns[k] as PgColumn, row[k], builder.expected(k));
          this.stats.rowsRead++;
        }
        if (r.rows.length > 0) yield builder.flush();
        if (r.rows.length < n) break;
      }
    } catch (err) {
      failed = true;
      throw pgError(err, this.description, opts.url.secretValues, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!destroyed) {
        let clean = true;
        try {
          if (declared && !failed) await client.query(`CLOSE ${CURSOR}`);
          if (inTransaction) await client.query(failed ? 'ROLLBACK' : 'COMMIT');
        } catch {
          clean = false;
        }
        await lease.release(!clean);
      }
    }
  }

  /** The relation's columns from a `LIMIT 0` query (no rows are read). */
  private async probe(client: pg.ClientBase): Promise<PgColumn[]> {
    const r = await client.query({ text: `SELECT * FROM ${fromItem(this.options.relation)} LIMIT 0`, rowMode: 'array', types: TEXT_TYPES });
    const seen = new Set<string>();
    return r.fields.map((f) => {
      if (seen.has(f.name)) {
        throw new SpecError(`${this.description}: the column name \`${f.name}\` appears twice in the result; give the columns distinct names (… AS ${f.name}_2)`);
      }
      seen.add(f.name);
      return pgColumn(f.name, f.dataTypeID, this.options.numericAs);
    });
  }

  private badValue(c: PgColumn, value: unknown, expected: string): BadInputError {
    return new BadInputError(
      `${this.description}: row ${this.stats.rowsRead + 1}, column \`${c.name}\` (${c.pgType}): ${show(value)} does not fit ${expected}` +
        (c.compare === 'time' ? '; infinite or BC times cannot be stored, filter them out in attributes.query' : ''),
    );
  }

  private async lease(signal: AbortSignal | undefined): Promise<PgLease> {
    try {
      return await leaseConnection(this.options.url.connectionString, this.connect);
    } catch (err) {
      throw pgError(err, this.description, this.options.url.secretValues, signal);
    }
  }

  private checkAbort(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new AbortedError(`reading ${this.description} was aborted after ${this.stats.rowsRead} rows`, { cause: signal.reason });
  }
}
