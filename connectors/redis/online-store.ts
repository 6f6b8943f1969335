import { BadInputError, NotFoundError } from '../../src/index.js';
import type { FeatureSet } from '../../src/index.js';
import { hashFields } from './hash-reads.js';
import { entityString, hashKey, schemaKey } from './key-layout.js';
import { keyValueString } from './key-strings.js';
import { keyValues, onlineTarget } from './online-target.js';
import type { OnlineFeaturesOptions, OnlineRow } from './online-target.js';
import { openRedis, redisCredentials } from './redis-connection.js';
import type { RedisConnection } from './redis-connection.js';
import { parseRedisTarget } from './redis-settings.js';
import type { RedisTargetSettings } from './redis-settings.js';
import { readStoreyTable } from './storey-reader.js';
import { readTableSchema } from './table-schema.js';
import type { StoredColumn, TableSchema } from './table-schema.js';
import { decodeValue, entityValue } from './value-decoding.js';

/** How an {@link OnlineStore} finds its table: the feature set's Redis target, or another URL or target. */
export type OnlineStoreOptions = Omit<OnlineFeaturesOptions, 'features'>;

/**
 * A reader of one feature set's Redis target that stays open, for services that read per request: the
 * connection and the table's `.schema` are kept, so a lookup is one round trip (one pipelined `HMGET` per entity;
 * on a Redis Cluster one pipeline per node, all at once). Values come back typed as written; an unknown or expired
 * entity gets null features. A feature the cached schema does not know makes it read `.schema` again once (a
 * later run may have added it); {@link refresh} does so on demand. A table MLRun/storey wrote (no `.schema`) is
 * read as storey reads it.
 *
 * @example
 * const store = await OnlineStore.open(fs);
 * const rows = await store.get([{ user_id: 'u1' }, 'u2'], { features: ['score'] });
 * // [{ user_id: 'u1', score: 0.5 }, { user_id: 'u2', score: null }]
 * await store.close();
 */
export class OnlineStore {
  /** Feature lists already resolved against the schema, by their names joined with NUL. */
  private readonly plans = new Map<string, StoredColumn[]>();
  private closed = false;

  private constructor(
    private readonly conn: RedisConnection,
    private readonly s: RedisTargetSettings,
    private readonly featureSet: FeatureSet,
    private schema: TableSchema | undefined,
  ) {}

  /** Connects (credentials from `secrets`, as the writer) and reads the table's `.schema`. */
  static async open(featureSet: FeatureSet, options: OnlineStoreOptions = {}): Promise<OnlineStore> {
    const s = parseRedisTarget(onlineTarget(featureSet, options), featureSet);
    const conn = await openRedis(s.endpoint, { credentials: redisCredentials(options.secrets, s.credentialsPrefix), ...(s.cluster !== undefined ? { cluster: s.cluster } : {}) });
    try {
      return new OnlineStore(conn, s, featureSet, await readSchema(conn, s));
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  /** The cached table schema; undefined for a table without Sluice's `.schema` (MLRun/storey, or not written yet). */
  get tableSchema(): TableSchema | undefined {
    return this.schema;
  }

  /** Reads `.schema` again (after a run added features or changed types). */
  async refresh(): Promise<void> {
    this.schema = await readSchema(this.conn, this.s);
    this.plans.clear();
  }

  /**
   * Features of the given entities, in one round trip. A requested row is an object by entity name, an array in
   * key order, or a bare value for a one-column entity. Each result row holds the entity fields, then the
   * requested features (default: every feature of the table).
   */
  async get(entityRows: ReadonlyArray<Record<string, unknown> | unknown>, o: { features?: readonly string[] } = {}): Promise<OnlineRow[]> {
    if (this.closed) throw new BadInputError(`online store of feature set "${this.featureSet.name}" is closed; open a new one`);
    if (!this.schema) {
      try {
        return await readStoreyTable(this.conn, this.s, this.featureSet, entityRows, o.features ? [...o.features] : undefined);
      } catch (err) {
        // The table may have been written since the store opened.
        if (!(err instanceof NotFoundError)) throw err;
        await this.refresh();
        if (!this.schema) throw err;
      }
    }
    const schema = this.schema as TableSchema;
    const features = await this.plan(o.features);
    const entities = schema.entities;
    const one = entities.length === 1 ? (entities[0] as StoredColumn) : undefined;
    const n = entityRows.length;
    const keys = new Array<string>(n);
    const vals = new Array<unknown[]>(n);
    for (let i = 0; i < n; i++) {
      const v = keyValues(entityRows[i], entities, i);
      vals[i] = v;
      const ent = one ? keyValueString(v[0], one) : entityString(v.map((x, j) => keyValueString(x, entities[j] as StoredColumn)));
      keys[i] = hashKey(this.s.keyPrefix, this.s.table, ent);
    }
    const replies = await hashFields(this.conn, keys, features.map((c) => c.name), this.s.table);
    const out = new Array<OnlineRow>(n);
    for (let i = 0; i < n; i++) {
      const row: OnlineRow = {};
      const v = vals[i] as unknown[];
      for (let j = 0; j < entities.length; j++) row[(entities[j] as StoredColumn).name] = entityValue(v[j], entities[j] as StoredColumn);
      const r = replies[i] ?? [];
      for (let j = 0; j < features.length; j++) row[(features[j] as StoredColumn).name] = decodeValue(r[j] ?? null, features[j] as StoredColumn);
      out[i] = row;
    }
    return out;
  }

  /** Closes the connection; later lookups fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
  }

  /** The stored columns of the requested features; an unknown one re-reads `.schema` once, then is a BadInputError. */
  private async plan(wanted: readonly string[] | undefined): Promise<StoredColumn[]> {
    const id = wanted ? wanted.join('\0') : '\0*';
    const hit = this.plans.get(id);
    if (hit) return hit;
    const resolve = () => {
      const byName = new Map((this.schema as TableSchema).features.map((c) => [c.name, c]));
      if (!wanted) return (this.schema as TableSchema).features;
      const missing = wanted.filter((f) => !byName.has(f));
      return missing.length > 0 ? missing : wanted.map((f) => byName.get(f) as StoredColumn);
    };
    let cols = resolve();
    if (typeof cols[0] === 'string') {
      await this.refresh();
      cols = this.schema ? resolve() : cols;
    }
    if (typeof cols[0] === 'string' || !this.schema) {
      const known = this.schema?.features.map((c) => c.name).join(', ') ?? '';
      throw new BadInputError(`feature "${String(cols[0])}" is not in table ${this.s.table}; features: ${known}`);
    }
    this.plans.set(id, cols as StoredColumn[]);
    return cols as StoredColumn[];
  }
}

async function readSchema(conn: RedisConnection, s: RedisTargetSettings): Promise<TableSchema | undefined> {
  return readTableSchema(conn, schemaKey(s.keyPrefix, s.table), { foreign: 'ignore' });
}
