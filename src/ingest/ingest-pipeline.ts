import type { RecordBatch } from 'apache-arrow';
import { AbortedError, SpecError } from '../errors.js';
import { declaredColumnTypes } from '../arrow/declared-column-types.js';
import type { Source, SourceContext, SourceStats } from '../arrow/source.js';
import type { DataSource } from '../model/data-source.js';
import type { DataTargetBase } from '../model/data-target-base.js';
import { DataTarget } from '../model/data-target.js';
import type { FeatureSet } from '../model/feature-set.js';
import type { FeatureSetProducer } from '../model/feature-set-producer.js';
import { Partitioner } from '../partition/partitioner.js';
import type { FileSystem } from '../storage/file-system.js';
import { RUN_ID_PATTERN } from '../util/path-parts.js';
import { TargetPathObject } from '../model/target-path-object.js';
import { systemClock } from '../util/time.js';
import type { Clock } from '../util/time.js';
import { PartitionedFileWriter } from './partitioned-file-writer.js';
import type { ResolvedFileTarget } from './resolve-file-target.js';
import { planIngestion } from './plan-ingestion.js';
import { withTargetLifecycle } from './target-lifecycle.js';
import type { IngestRequest, IngestionPlan, PlanConnectors, PlannedTarget } from './plan-ingestion.js';
import { filterBatches } from './source-filter.js';
import type { CommitResult, TargetWriter } from './target-writer.js';

/** What ingestion needs from connectors; the core never imports them (ARCHITECTURE import rule 2). */
export interface IngestConnectors extends PlanConnectors {
  /** A source for a data source spec. */
  createSource(spec: DataSource, ctx: SourceContext): Promise<Source>;
  /** The file system of a path (local, `s3://`), with the target's storage options. */
  fileSystem(path: string, o: { storageOptions?: Record<string, unknown>; credentialsPrefix?: string }): Promise<FileSystem>;
  /** A writer for a target kind that is not a file target (e.g. `redisnosql`). */
  createTarget?(target: DataTargetBase, ctx: TargetContext): Promise<TargetWriter>;
}

/** What a non-file target writer gets to know about the run. */
export interface TargetContext {
  featureSet: FeatureSet;
  runId: string;
  overwrite: boolean;
  keyFields: string[];
  timeField?: string;
  secrets?: SourceContext['secrets'];
}

/** A {@link IngestRequest} plus what running it needs: connectors, signal, secrets, clock, progress. */
export interface IngestOptions extends IngestRequest {
  connectors: IngestConnectors;
  signal?: AbortSignal;
  secrets?: SourceContext['secrets'];
  /** Recorded as every target's producer. */
  producer?: FeatureSetProducer;
  clock?: Clock;
  /** Called after each batch with the running count of rows read. */
  onProgress?: (rowsRead: number) => void;
  /** Working directory for relative paths. */
  cwd?: string;
  /**
   * Receives each target's new status entry once it is decided: `ready` after the target committed, `error`
   * (previous run id and watermark kept) when the run failed before it could commit. `runIngestion` stores them
   * in the feature set's status; `runPlannedIngestion` only reports them.
   */
  onStatus?: (status: DataTarget) => void;
}

export interface TargetOutcome {
  name: string;
  kind: string;
  /** The path as the status records it (with `{run_id}` for a file target). */
  path: string;
  /** The run id of the directory written (append: the previous run's; overwrite: this run's). */
  runId?: string;
  rows: number;
  bytes: number;
  files: number;
  lastWritten?: Date;
}

export interface IngestResult {
  runId: string;
  rowsRead: number;
  rowsSkipped: number;
  rowsQuarantined: number;
  targets: TargetOutcome[];
  timings: { readWriteMs: number; commitMs: number; totalMs: number };
  /** False when an overwrite run read 0 rows and so committed nothing (see {@link IngestOptions.allowEmpty}). */
  committed: boolean;
  /** What the run wants its user to know (an empty run that kept the previous data). */
  warnings: string[];
}

interface OpenTarget {
  planned: PlannedTarget;
  writer: TargetWriter;
  status: DataTarget;
  onCommitted?: () => Promise<void>;
}

/**
 * Ingests a feature set: reads its source as Arrow batches, applies the time window, filters and key check,
 * writes every target, and commits them (SPEC §2-§6). On success each target's status entry is replaced
 * (`ready`, path with `{run_id}`, run id, size, rows, last_written, producer). On failure every target is
 * aborted, the data committed by earlier runs stays as it was, the status entries are marked `error` with the
 * previous run id and watermark kept, and the error is rethrown.
 */
export async function runIngestion(featureSet: FeatureSet, options: IngestOptions): Promise<IngestResult> {
  const plan = await planIngestion(featureSet, options, options.connectors);
  return runPlannedIngestion(plan, {
    ...options,
    onStatus: (st) => {
      featureSet.status.updateTarget(st);
      options.onStatus?.(st);
    },
  });
}

/**
 * Runs a plan made by {@link planIngestion}: opens the source and the targets, reads, filters, writes and
 * commits (SPEC §2-§6). The plan's request fields in `options` (source, targets, run id, ...) are not read again.
 */
export async function runPlannedIngestion(plan: IngestionPlan, options: Omit<IngestOptions, keyof IngestRequest>): Promise<IngestResult> {
  const t0 = performance.now();
  const { featureSet, runId, overwrite, keyFields, timeField } = plan;
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  const report = (st: DataTarget) => options.onStatus?.(st);
  const ctx: SourceContext = {
    featureSetName: featureSet.name,
    columnTypes: declaredColumnTypes(featureSet.spec.entities, featureSet.spec.features),
    keyFields: [...keyFields],
    ...(timeField ? { timeField } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };
  const src = plan.readySource ?? (await options.connectors.createSource(plan.source, ctx));
  const targets: OpenTarget[] = [];
  try {
    for (const t of plan.targets) targets.push(await openTarget(t, plan, options));
  } catch (err) {
    await abortAll(targets, err, clock, report);
    for (const t of plan.targets.slice(targets.length)) report(errorStatus(t, clock));
    throw err;
  }

  let rowsRead = 0;
  try {
    const raw = src.read({ ...(signal ? { signal } : {}), ...(plan.batchSize ? { batchSize: plan.batchSize } : {}) });
    const batches: AsyncIterable<RecordBatch> = filterBatches(raw, {
      keyFields: [...keyFields],
      ...(timeField ? { timeField } : {}),
      ...(plan.startTime ? { startTime: plan.startTime } : {}),
      ...(plan.endTime ? { endTime: plan.endTime } : {}),
      additionalFilters: [...plan.filters],
      description: src.description,
    });
    for await (const batch of batches) {
      if (signal?.aborted) throw new AbortedError(`ingestion of ${featureSet.name} was aborted after ${rowsRead} rows; nothing of this run was committed`);
      rowsRead += batch.numRows;
      for (const t of targets) await t.writer.write(batch, signal ? { signal } : {});
      options.onProgress?.(rowsRead);
    }
  } catch (err) {
    await abortAll(targets, err, clock, report);
    throw err;
  }
  const tRead = performance.now();

  // Empty input never replaces data (a 0-byte file, a header-only CSV, a window or filter that keeps nothing):
  // the targets are aborted, so the previous run's data and status stay, unless the caller asked for it.
  if (rowsRead === 0 && overwrite && !plan.allowEmpty) {
    await Promise.all(targets.map((t) => t.writer.abort(new Error('empty run')).catch(() => undefined)));
    await src.commit?.(signal ? { signal } : {});
    const end = performance.now();
    const kept = plan.targets.map((t) => t.previous?.runId).filter((x) => x !== undefined);
    return {
      runId,
      rowsRead,
      rowsSkipped: src.stats?.rowsSkipped ?? 0,
      rowsQuarantined: src.stats?.rowsQuarantined ?? 0,
      targets: [],
      timings: { readWriteMs: Math.round(tRead - t0), commitMs: 0, totalMs: Math.round(end - t0) },
      committed: false,
      warnings: [
        ...plan.warnings,
        `the source yielded 0 rows, so nothing was committed and the targets keep their data${kept.length ? ` (run ${[...new Set(kept)].join(', ')})` : ''}; ingest with allowEmpty (--allow-empty) to replace them with an empty table`,
      ],
    };
  }

  const outcomes: TargetOutcome[] = [];
  for (const t of targets) {
    let res: CommitResult;
    try {
      res = await t.writer.commit(signal ? { signal } : {});
    } catch (err) {
      await abortAll(targets.filter((x) => !outcomes.some((o) => o.name === x.planned.name)), err, clock, report);
      throw err;
    }
    const st = t.status;
    st.status = 'ready';
    st.updated = clock();
    st.size = res.bytes;
    st.rows = res.rows;
    // The watermark never moves back: a run that wrote nothing keeps the previous last_written (MLRun keeps the
    // window start), so a scheduled run does not re-read everything after an empty window.
    const before = t.planned.previous?.lastWritten;
    const newest = res.lastWritten && before && before > res.lastWritten ? before : (res.lastWritten ?? before);
    if (newest) st.lastWritten = newest;
    if (options.producer) st.producer = options.producer;
    report(st);
    await t.onCommitted?.();
    outcomes.push({ name: st.name, kind: st.kind ?? '', path: st.path ?? '', ...(st.runId ? { runId: st.runId } : {}), rows: res.rows, bytes: res.bytes, files: res.files.length, ...(res.lastWritten ? { lastWritten: res.lastWritten } : {}) });
  }
  // Only now is every row durable in every target: a stream source may acknowledge what it yielded.
  await src.commit?.(signal ? { signal } : {});
  const stats: SourceStats | undefined = src.stats;
  const end = performance.now();
  return {
    runId,
    rowsRead,
    rowsSkipped: stats?.rowsSkipped ?? 0,
    rowsQuarantined: stats?.rowsQuarantined ?? 0,
    targets: outcomes,
    timings: { readWriteMs: Math.round(tRead - t0), commitMs: Math.round(end - tRead), totalMs: Math.round(end - t0) },
    committed: true,
    warnings: [...plan.warnings],
  };
}

async function openTarget(t: PlannedTarget, plan: IngestionPlan, o: Omit<IngestOptions, keyof IngestRequest>): Promise<OpenTarget> {
  const { featureSet } = plan;
  const spec = t.spec;
  const previous = t.previous;
  const where = `feature set "${featureSet.name}" target "${t.name}" (${t.kind})`;
  const status = new DataTarget({ name: t.name, kind: spec.kind, status: 'created', ...(spec.attributes ? { attributes: spec.attributes } : {}), ...(spec.credentialsPrefix ? { credentialsPrefix: spec.credentialsPrefix } : {}) });
  if (t.file) {
    const { resolved: r, format, formatOptions } = t.file;
    const fs = await o.connectors.fileSystem(r.root, { ...(spec.storageOptions ? { storageOptions: spec.storageOptions } : {}), ...(spec.credentialsPrefix ? { credentialsPrefix: spec.credentialsPrefix } : {}) });
    const writer = new PartitionedFileWriter({
      fs,
      root: r.root,
      ...(r.fileName ? { singleFileName: r.fileName } : {}),
      format,
      formatOptions,
      partitioner: new Partitioner(r.partitionSpec, { maxPartitions: r.maxPartitions }),
      runId: plan.runId,
      settings: r.settings,
      ...(plan.timeField ? { timeField: plan.timeField } : {}),
      ...(o.clock ? { clock: o.clock } : {}),
    });
    Object.assign(status, {
      path: r.templatedPath,
      runId: r.targetRunId,
      partitioned: r.partitioned,
      keyBucketingNumber: r.partitionSpec.keyBucketingNumber,
      partitionCols: r.partitionSpec.partitionCols,
      timePartitioningGranularity: r.partitionSpec.granularity,
    });
    // Overwrite replaces the whole target: once this run is committed, the previous run id's directory goes.
    const onCommitted = async () => {
      const old = previousRunRoot(previous, r, featureSet.project);
      if (plan.overwrite && old !== undefined) await fs.deletePrefix(old).catch(() => undefined);
    };
    return { planned: t, writer: withTargetLifecycle(writer, where), status, onCommitted };
  }
  if (!o.connectors.createTarget) throw new SpecError(`target "${t.name}": kind "${t.kind}" is not supported; use parquet, csv or redisnosql`);
  const writer = await o.connectors.createTarget(spec, {
    featureSet,
    runId: plan.runId,
    overwrite: plan.overwrite,
    keyFields: [...plan.keyFields],
    ...(plan.timeField ? { timeField: plan.timeField } : {}),
    ...(o.secrets ? { secrets: o.secrets } : {}),
  });
  Object.assign(status, { path: spec.path, runId: plan.runId, online: true });
  return { planned: t, writer: withTargetLifecycle(writer, where), status };
}

/**
 * The directory of the previous run of a file target that an overwrite may delete, or undefined. Only a sibling
 * run directory of this very target qualifies: the status must record the same templated path, and its run id
 * must be a valid run id (never `..`, never containing `/`), so the directory is strictly under the target root.
 */
function previousRunRoot(previous: DataTarget | undefined, r: ResolvedFileTarget, project: string): string | undefined {
  if (!previous?.runId || previous.runId === r.targetRunId || previous.path !== r.templatedPath) return undefined;
  if (!RUN_ID_PATTERN.test(previous.runId)) return undefined;
  const abs = new TargetPathObject(previous.path, previous.runId, r.singleFile).getAbsolutePath(project);
  const oldRoot = r.singleFile ? abs.slice(0, abs.lastIndexOf('/')) : abs.replace(/\/+$/, '');
  const base = r.templatedPath.slice(0, r.templatedPath.indexOf('{run_id}'));
  if (!base.endsWith('/') || !oldRoot.startsWith(new TargetPathObject(base).getAbsolutePath(project)) || oldRoot === r.root) return undefined;
  return oldRoot;
}

/** The status entry of a target whose run failed: the previous entry (run id, path, watermark) marked `error`. */
function errorStatus(t: PlannedTarget, clock: Clock): DataTarget {
  const st = t.previous ? DataTarget.fromDict(t.previous.toDict()) : new DataTarget({ name: t.name, kind: t.kind });
  st.status = 'error';
  st.updated = clock();
  return st;
}

/** Aborts the open writers and reports each target `error`, keeping its previous run id and watermark. */
async function abortAll(targets: OpenTarget[], err: unknown, clock: Clock, report: (st: DataTarget) => void): Promise<void> {
  for (const t of targets) {
    await t.writer.abort(err).catch(() => undefined);
    report(t.planned.previous ? errorStatus(t.planned, clock) : Object.assign(t.status, { status: 'error', updated: clock() }));
  }
}
