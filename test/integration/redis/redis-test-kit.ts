import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { Bool, Float64, Int64, Table, TimeUnit, Timestamp, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { DataType, RecordBatch, Vector } from 'apache-arrow';
import type { Redis } from 'ioredis';
import { DataTargetBase, FeatureSet } from '../../../src/index.js';
import { connector } from '../../../connectors/redis/index.js';
import type { RedisTargetWriter } from '../../../connectors/redis/index.js';
import { services } from '../../support/services.js';

/** Column types the tests use. */
export const types = {
  str: new Utf8(),
  i64: new Int64(),
  f64: new Float64(),
  bool: new Bool(),
  tsMs: new Timestamp(TimeUnit.MILLISECOND, 'UTC'),
  tsUs: new Timestamp(TimeUnit.MICROSECOND, 'UTC'),
};

/** A timestamp vector from raw epoch values in the unit (vectorFromArray only takes milliseconds). */
export function rawTimestamps(unit: TimeUnit, values: bigint[]): Vector {
  return makeVector(makeData({ type: new Timestamp(unit, 'UTC'), length: values.length, nullCount: 0, data: BigInt64Array.from(values) }));
}

/** One record batch from columns of JS values with explicit Arrow types. */
export function batch(cols: Record<string, [DataType, unknown[]] | Vector>): RecordBatch {
  const vectors = Object.fromEntries(Object.entries(cols).map(([name, c]) => [name, Array.isArray(c) ? vectorFromArray(c[1] as never[], c[0]) : c]));
  const t = new Table(vectors);
  return t.batches[0] as RecordBatch;
}

export function featureSet(o: { prefix: string; name?: string; entities?: string[]; timestampKey?: string; path?: string; attributes?: Record<string, unknown>; credentialsPrefix?: string; maxEvents?: number }): FeatureSet {
  return new FeatureSet({
    name: o.name ?? 'users',
    project: 'p1',
    entities: o.entities ?? ['id'],
    ...(o.timestampKey !== undefined ? { timestampKey: o.timestampKey } : {}),
    targets: [
      new DataTargetBase({
        kind: 'redisnosql',
        name: 'online',
        path: o.path ?? services.redisUrl(),
        attributes: { key_prefix: o.prefix, ...o.attributes },
        ...(o.maxEvents !== undefined ? { maxEvents: o.maxEvents } : {}),
        ...(o.credentialsPrefix ? { credentialsPrefix: o.credentialsPrefix } : {}),
      }),
    ],
  });
}

/** A writer for the feature set's first target, with the feature set's entities and timestamp key. */
export function openWriter(fs: FeatureSet, o: { overwrite?: boolean; secrets?: Record<string, string> } = {}): Promise<RedisTargetWriter> {
  const secrets = o.secrets;
  return connector.createTarget(fs.spec.targets[0] as DataTargetBase, {
    featureSet: fs,
    runId: '1700000000000_1',
    overwrite: o.overwrite ?? false,
    keyFields: fs.entityNames,
    ...(fs.spec.timestampKey ? { timeField: fs.spec.timestampKey } : {}),
    ...(secrets ? { secrets: { get: (k: string) => secrets[k] } } : {}),
  });
}

/** Writes batches in one run and commits. */
export async function writeAll(fs: FeatureSet, batches: RecordBatch[], o: { overwrite?: boolean; secrets?: Record<string, string> } = {}) {
  const w = await openWriter(fs, o);
  for (const b of batches) await w.write(b);
  return w.commit();
}

/** Every key under a prefix (SCAN), sorted. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out.sort();
}

/** Removes every key under a prefix. */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server on a free loopback port; `stop()` kills it. */
export async function startRedisServer(args: string[] = [], dir?: string, fixedPort?: number): Promise<{ port: number; proc: ChildProcess; stop: () => Promise<void> }> {
  const port = fixedPort ?? (await freePort());
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(dir ? ['--dir', dir] : []), ...args], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => (c.destroy(), resolve(false)));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  return { port, proc, stop };
}
