/** The Source contract for the kinds backed by a service: sql (PostgreSQL, a schema per test) and redis-stream (a stream per test). */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { connector as pgConnector } from '../../connectors/postgres/index.js';
import { connector as streamConnector } from '../../connectors/redis/stream/index.js';
import { DataSource } from '../../src/index.js';
import type { DataSourceOptions } from '../../src/index.js';
import { services, uniqueName } from '../support/services.js';
import { CONTRACT_ROWS, CONTRACT_SCHEMA, sourceContract } from './source.contract.js';

type Window = { startTime: Date; endTime: Date } | undefined;
const windowOf = (w: Window) => (w ? { startTime: w.startTime.toISOString(), endTime: w.endTime.toISOString() } : {});

let admin: pg.Client;
let redis: Redis;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: services.pgUrl() });
  await admin.connect();
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await admin.end();
  await redis.quit();
});

sourceContract('sql (PostgreSQL)', async () => {
  const schema = uniqueName('sluice_src_contract');
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.events (id int8, "user" text, amount float8, ts timestamptz)`);
  for (const r of CONTRACT_ROWS) await admin.query(`INSERT INTO ${schema}.events VALUES ($1, $2, $3, $4)`, [r.id, r.user, r.amount, r.ts.toISOString()]);
  const make = (table: string, w: Window) =>
    pgConnector.createSource!(new DataSource({ kind: 'sql', keyField: 'id', timeField: 'ts', ...windowOf(w), attributes: { db_url: services.pgUrl(), table_name: table } } as DataSourceOptions));
  return {
    source: async ({ window } = {}) => make(`${schema}.events`, window),
    bad: async () => ({ source: make(`${schema}.missing_events`, undefined), names: [`${schema}.missing_events`] }),
    cleanup: async () => void (await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
});

sourceContract('redis-stream', async () => {
  const stream = uniqueName('sluice-src-contract');
  const group = uniqueName('g');
  const add = async (key: string, amount: (i: number) => string) => {
    const p = redis.pipeline();
    CONTRACT_ROWS.forEach((r, i) => p.xadd(key, '*', 'id', String(r.id), 'user', r.user, 'amount', amount(i), 'ts', r.ts.toISOString()));
    const res = (await p.exec()) ?? [];
    return res.map(([, id]) => String(id));
  };
  await add(stream, (i) => String(CONTRACT_ROWS[i]!.amount));
  const make = (key: string, w: Window) =>
    streamConnector.createSource!(new DataSource({
      kind: 'redis-stream', path: services.redisUrl(), keyField: 'id', timeField: 'ts', ...windowOf(w),
      attributes: { stream: key, group, consumer: 'c1', block_ms: 100, schema: CONTRACT_SCHEMA },
    } as DataSourceOptions));
  return {
    source: async ({ window } = {}) => make(stream, window),
    bad: async () => {
      const badStream = `${stream}-bad`;
      const ids = await add(badStream, (i) => (i === 2 ? '4.5x' : String(CONTRACT_ROWS[i]!.amount)));
      return { source: make(badStream, undefined), names: [badStream, ids[2]!, 'amount', '4.5x'] };
    },
    cleanup: async () => {
      await redis.del(stream, `${stream}-bad`, `${stream}:sluice:${group}`, `${stream}-bad:sluice:${group}`);
    },
  };
});
