/**
 * Sluice with its built-in connectors: the package's main entry (`import { ingest } from 'sluice'`).
 * Everything of the core (`src/index.ts`) plus `ingest`, which wires the built-in sources, file formats, file
 * systems, online store and notifiers. Importing it loads no connector; each is imported on first use.
 *
 * @example
 * import { FeatureSet, ingest } from 'sluice';
 * const fs = FeatureSet.fromYaml(readFileSync('fixtures/specs/transactions.yaml', 'utf8'));
 * const { run, result } = await ingest(fs);
 * console.log(run.state(), result?.rowsRead);
 */
import { ingestFeatureSet } from '../src/index.js';
import type { FeatureSet, IngestFeatureSetOptions, IngestOutcome } from '../src/index.js';
import type { OnlineFeaturesOptions, OnlineRow, OnlineStore, OnlineStoreOptions } from './redis/index.js';
import { builtinConnectors, builtinNotifiers } from './registry.js';

export * from '../src/index.js';
export { builtinConnectors, builtinNotifiers, fileSystemFor, loadConnector, connectorKinds } from './registry.js';
export type { Connector, FileSystemContext } from './registry.js';

/** Options of {@link ingest}: those of `ingestFeatureSet`, with the built-in connectors as the default. */
export type IngestApiOptions = Omit<IngestFeatureSetOptions, 'connectors'> & Partial<Pick<IngestFeatureSetOptions, 'connectors'>>;

/**
 * Ingests a feature set as a tracked run with the built-in connectors (MLRun's `ingest`): reads the source,
 * writes every target, commits, records the run and stores the feature set's status in the run db.
 */
export async function ingest(featureSet: FeatureSet, options: IngestApiOptions = {}): Promise<IngestOutcome> {
  return ingestFeatureSet(featureSet, {
    connectors: builtinConnectors(),
    notifiers: await builtinNotifiers(),
    ...options,
  });
}

/**
 * Reads features of the given entities from the feature set's online (Redis) target, typed as written; null
 * features for unknown entities. The Redis connector is imported on first use.
 *
 * @example
 * const rows = await getOnlineFeatures(fs, [{ user_id: 'u001' }, { user_id: 'nobody' }], { features: ['amount'] });
 */
export async function getOnlineFeatures(
  featureSet: FeatureSet,
  entityRows: ReadonlyArray<Record<string, unknown> | unknown>,
  options: OnlineFeaturesOptions = {},
): Promise<OnlineRow[]> {
  const redis = await import('./redis/index.js');
  return redis.getOnlineFeatures(featureSet, entityRows, options);
}
export type { OnlineFeaturesOptions, OnlineRow } from './redis/index.js';

/**
 * Opens an {@link OnlineStore} on the feature set's online (Redis) target: it keeps its connection and the table
 * schema, so each `get` is one round trip. For services that read per request; `close()` it at shutdown.
 *
 * @example
 * const store = await openOnlineStore(fs);
 * const rows = await store.get([{ user_id: 'u001' }, { user_id: 'u002' }], { features: ['amount'] });
 */
export async function openOnlineStore(featureSet: FeatureSet, options: OnlineStoreOptions = {}): Promise<OnlineStore> {
  const redis = await import('./redis/index.js');
  return redis.OnlineStore.open(featureSet, options);
}
export type { OnlineStore, OnlineStoreOptions } from './redis/index.js';
