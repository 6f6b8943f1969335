/**
 * The `redis-stream` connector: a Redis Streams source read through a consumer group, acknowledged only after
 * every target committed, and `runStreamIngestion` for continuous ingestion. Loaded lazily by
 * `connectors/registry.ts`.
 *
 * @example
 * const { runStreamIngestion } = await import('./connectors/redis/stream/index.js');
 * await runStreamIngestion(featureSet, { connectors: builtinConnectors(), signal });
 */
import type { ConnectorModule, DataSource, SourceContext } from '../../../src/index.js';
import { RedisStreamSource } from './redis-stream-source.js';
import { checkStreamUrl } from './stream-connection.js';
import { parseStreamOptions, STREAM_ATTRIBUTES } from './stream-options.js';

export { RedisStreamSource } from './redis-stream-source.js';
export type { RedisStreamSourceOptions, StreamReadInfo } from './redis-stream-source.js';
export { parseStreamOptions, STREAM_ATTRIBUTES } from './stream-options.js';
export type { StreamOptions } from './stream-options.js';
export { StreamCheckpoint } from './stream-checkpoint.js';
export type { CheckpointState } from './stream-checkpoint.js';
export { StreamGroup, ACK_CHUNK } from './stream-group.js';
export type { StreamEntry } from './stream-group.js';
export { openStreamConnection } from './stream-connection.js';
export { runStreamIngestion } from './run-stream-ingestion.js';
export type { StreamIngestionOptions, StreamIngestionSummary } from './run-stream-ingestion.js';

function parseSpec(spec: DataSource, o0: { cwd?: string; featureSetName?: string } = {}) {
  const o = parseStreamOptions(spec, o0);
  checkStreamUrl(o.url);
  return o;
}

/**
 * The redis-stream connector module. Through `createSource` (batch mode: a read ends when the stream is idle
 * for one block) and `runStreamIngestion` alike, the default group is `sluice-<feature set name>`.
 */
export const connector: ConnectorModule = {
  kind: 'redis-stream',
  sourceSettings: STREAM_ATTRIBUTES,
  parseSpec: (spec: DataSource) => parseSpec(spec),
  createSource: (spec: DataSource, ctx: SourceContext = {}) =>
    new RedisStreamSource(parseSpec(spec, { ...(ctx.featureSetName ? { featureSetName: ctx.featureSetName } : {}), ...(ctx.cwd ? { cwd: ctx.cwd } : {}) }), {
      spec,
      ...(ctx.secrets ? { secrets: ctx.secrets } : {}),
    }),
};
