/**
 * Sluice's public API: the package's main entry (`import { ingest } from 'sluice'`). An explicit list: the model,
 * ingestion with the built-in connectors, online reads, tracked runs and sweeps, the run db. Importing it loads no
 * connector; each (and its SDK: AWS, Redis, BullMQ) is imported on first use by a feature set that needs it.
 *
 * Everything else (column builders, partitioner, commit protocol, file-system helpers, the settings schemas) is
 * the core's internal API, `sluice/internal` (`src/index.ts`): what connectors build on, with no stability promise.
 *
 * @example
 * import { FeatureSet, ingest } from 'sluice';
 * const fs = FeatureSet.fromYaml(readFileSync('fixtures/specs/transactions.yaml', 'utf8'));
 * const { run, result } = await ingest(fs);
 * console.log(await run.state(), result?.rowsRead);
 */
import { ingestFeatureSet, run as runTask } from '../src/index.js';
import type { FeatureSet, Handler, IngestFeatureSetOptions, IngestOutcome, RunOptions, RunParams, RunTemplate, TypedRun } from '../src/index.js';
import type { OnlineFeaturesOptions, OnlineRow, OnlineStore, OnlineStoreOptions } from './redis/index.js';
import type { StreamIngestionOptions, StreamIngestionSummary } from './redis/stream/index.js';
import { builtinConnectors, builtinNotifiers, fileSystemFor } from './registry.js';

// Errors
export { SluiceError, SpecError, NotSupportedError, NotFoundError, BadInputError, AbortedError, TimeoutError, errorMessage } from '../src/index.js';
export type { ErrorCode } from '../src/index.js';
// Model (MLRun's object model) and its options
export { DataSource, DataTargetBase, FeatureSet } from './typed-model.js';
export type { SourceOptions, TargetOptions, TypedFeatureSetOptions, SourceKind, TargetKind, SourceKindSettings, TargetKindSettings, Attributes } from './typed-model.js';
export {
  DataTarget,
  Entity,
  FeatureSetMetadata,
  FeatureSetSpec,
  FeatureSetStatus,
  FeatureSetProducer,
  TargetPathObject,
  RUN_ID_PLACEHOLDER,
  FILTER_OPS,
  TIME_GRANULARITIES,
  TARGET_STATES,
  RunMetadata,
  RunSpec,
  RunStatus,
  RunTemplate,
  HyperParamOptions,
  Notification,
  newTask,
  RunStates,
  RUN_STATES,
  TERMINAL_STATES,
  isTerminal,
  newRunId,
  newUid,
} from '../src/index.js';
export type {
  DataSourceOptions,
  DataTargetBaseOptions,
  DataTargetOptions,
  EntityOptions,
  FeatureSetOptions,
  FeatureSetMetadataOptions,
  FeatureSetSpecOptions,
  FeatureSetStatusOptions,
  FeatureSetProducerOptions,
  FilterOp,
  TimeGranularity,
  TargetState,
  RunMetadataOptions,
  RunSpecOptions,
  RunStatusOptions,
  RunTemplateOptions,
  HyperParamOptionsOptions,
  HyperParamStrategy,
  NotificationOptions,
  NotificationKind,
  NewTaskOptions,
  RunState,
  ToDictOptions,
} from '../src/index.js';
// Tracked runs and hyperparameter sweeps
export { RunObject, bestIteration, sweepIterations } from '../src/index.js';
export type {
  RunOptions,
  Handler,
  RunContext,
  RunParams,
  RunLogger,
  ArtifactInput,
  ArtifactItem,
  WaitOptions,
  LogsOptions,
  TypedRun,
  SweepIteration,
  ResultsOf,
} from '../src/index.js';
// Run db
export { openRunDB, SqliteRunDB, PostgresRunDB } from '../src/index.js';
export type { RunDB, RunDict, RunFilter, OpenRunDBOptions, SqliteRunDBOptions, PostgresRunDBOptions } from '../src/index.js';
// Ingestion without the package's wiring, custom sources and file systems
export { ingestFeatureSet, runIngestion, vacuum, readManifests, LocalFileSystem, Scheduler } from '../src/index.js';
export type {
  IngestFeatureSetOptions,
  IngestOutcome,
  IngestOptions,
  IngestResult,
  IngestConnectors,
  TargetOutcome,
  VacuumOptions,
  VacuumResult,
  Manifest,
  Source,
  ReadOptions,
  SourceStats,
  FileSystem,
  FileSystemResolver,
  Notifier,
  SchedulerOptions,
  Clock,
} from '../src/index.js';
export { builtinConnectors, builtinNotifiers } from './registry.js';
export { createDataFrameSource } from './dataframe/index.js';
export type { DataFrameInput, DataFrameSourceOptions } from './dataframe/index.js';

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
 * Runs a task as a tracked run (the core's `run`), with the built-in file systems: `artifact_path` / `out_path`
 * and `in_path` may be `s3://bucket/prefix` (credentials and endpoint from the task's secrets or the environment).
 *
 * @example
 * const r = await run(newTask({ name: 'train', artifact_path: 's3://lake/runs' }), async (ctx) => {
 *   await ctx.logArtifact('model', { body: { weights: [1, 2] } });
 * });
 */
export async function run<P extends object = RunParams, R = unknown>(
  task: RunTemplate,
  handler: Handler<P, R>,
  options: RunOptions = {},
): Promise<TypedRun<P, Awaited<R>>> {
  return runTask(task, handler, { fileSystemFor, ...options });
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

/** Options of {@link runStreamIngestion}: the stream connector's, with the built-in connectors as the default. */
export type StreamApiOptions = Omit<StreamIngestionOptions, 'connectors'> & Partial<Pick<StreamIngestionOptions, 'connectors'>>;

/**
 * Ingests a `redis-stream` source continuously, one append cycle after another, until `signal` fires; a crashed
 * cycle is re-run under its run id on the next start (exactly once into files). The connector is imported on
 * first use.
 *
 * @example
 * const stop = new AbortController();
 * const summary = await runStreamIngestion(fs, { signal: stop.signal });
 */
export async function runStreamIngestion(featureSet: FeatureSet, options: StreamApiOptions): Promise<StreamIngestionSummary> {
  const stream = await import('./redis/stream/index.js');
  return stream.runStreamIngestion(featureSet, { connectors: builtinConnectors(), ...options });
}
export type { StreamIngestionOptions, StreamIngestionSummary } from './redis/stream/index.js';
