/**
 * Connector kinds and where their modules live. Modules are imported lazily, on first use of a kind;
 * importing this file loads no connector and registers nothing.
 *
 * @example
 * const csv = await loadConnector('csv');
 * const source = csv.createSource!(spec, { cwd: process.cwd() });
 */
import { NotSupportedError } from '../src/index.js';
import type { Connector } from './connector.js';

const LOADERS: Readonly<Record<string, () => Promise<Connector>>> = Object.freeze({
  csv: async () => (await import('./csv/index.js')).connector,
  parquet: async () => (await import('./parquet/index.js')).connector,
  jsonl: async () => (await import('./jsonl/index.js')).connector,
  arrow: async () => (await import('./arrow-ipc/index.js')).connector,
  dataframe: async () => (await import('./dataframe/index.js')).connector,
  sql: async () => (await import('./postgres/index.js')).connector,
  sqldb: async () => (await import('./postgres/index.js')).connector,
  'redis-stream': async () => (await import('./redis/stream/index.js')).connector,
  webhook: async () => (await import('./webhook/index.js')).connector as Connector,
  s3: async () => (await import('./s3/index.js')).connector as Connector,
  redisnosql: async () => (await import('./redis/index.js')).connector as unknown as Connector,
});

/** The kinds a connector module exists for. */
export function connectorKinds(): string[] {
  return Object.keys(LOADERS);
}

/** Imports the connector module for `kind`; an unknown kind is a `NotSupportedError` listing the known ones. */
export async function loadConnector(kind: string): Promise<Connector> {
  const load = Object.hasOwn(LOADERS, kind) ? LOADERS[kind] : undefined;
  if (!load) throw new NotSupportedError(`connector kind ${JSON.stringify(kind)} is not known; known kinds: ${connectorKinds().join(', ')}`);
  return load();
}
