import type { RecordBatch } from 'apache-arrow';
import { AbortedError, SpecError } from '../errors.js';
import { declaredColumnTypes } from '../arrow/declared-column-types.js';
import type { Source, SourceContext, SourceStats } from '../arrow/source.js';
import { DataSource } from '../model/data-source.js';
import type { DataTargetBase } from '../model/data-target-base.js';
import { DataTarget } from '../model/data-target.js';
import type { FeatureSet } from '../model/feature-set.js';
import type { FeatureSetProducer } from '../model/feature-set-producer.js';
import { Partitioner } from '../partition/partitioner.js';
import type { FileSystem } from '../storage/file-system.js';
import { newRunId } from '../util/ids.js';
import { systemClock } from '../util/time.js';
import type { Clock } from '../util/time.js';
import { PartitionedFileWriter } from './partitioned-file-writer.js';
import { FILE_TARGET_KINDS, resolveFileTarget } from './resolve-file-target.js';
import { filterBatches } from './source-filter.js';
import type { CommitResult, FileFormat, TargetWriter } from './target-writer.js';

/** What ingestion needs from connectors; the core never imports them (ARCHITECTURE import rule 2). */
export interface IngestConnectors {
  /** A source for a data source spec. */
  createSource(spec: DataSource, ctx: SourceContext): Promise<Source>;
  /** The file format of a file target kind (`parquet`, `csv`). */
  fileFormat(kind: string): Promise<FileFormat>;
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

export interface IngestOptions {
  connectors: IngestConnectors;
  /**
   * Overrides `spec.source`: a spec, or a ready {@link Source} (an in-memory dataframe source, a custom reader);
   * a ready source's `spec` (when it has one) supplies the key, time field and window.
   */
  source?: DataSource | (Source & { spec?: DataSource });
  /** Overrides `spec.targets`. */
  targets?: DataTargetBase[];
  /** The run id of this ingestion (default a new `<epoch_ms>_<n>`); a retry with the same id never duplicates rows. */
  runId?: string;
  /** Replace the targets' data (default: true, false when the source has a schedule, as MLRun). */
  overwrite?: boolean;
  /** Override the source's time window: `start < t <= end`. */
  startTime?: Date;
  endTime?: Date;
  signal?: AbortSignal;
  secrets?: SourceContext['secrets'];
  /** Recorded as every target's producer. */
  producer?: FeatureSetProducer;
  clock?: Clock;
  /** Called after each batch with the running count of rows read. */
  onProgress?: (rowsRead: number) => void;
  /** Working directory for relative paths. */
  cwd?: string;
}

export interface TargetOutcome {
  name: string;
  kind: string;
  path: string;
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
}

interface OpenTarget {
  spec: DataTargetBase;
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
  const clock = options.clock ?? systemClock;
  const t0 = performance.now();
  const ready = isSource(options.source) ? options.source : undefined;
  const source = ready ? (ready.spec ?? new DataSource({ kind: 'custom' })) : ((options.source as DataSource | undefined) ?? featureSet.spec.source);
  if (!source) throw new SpecError(`feature set "${featureSet.name}" has no source; set spec.source or pass one (--source-path on the command line)`);
  if (!source.kind) throw new SpecError(`feature set "${featureSet.name}": source.kind is missing; use csv, parquet, jsonl, arrow, sql or redis-stream`);
  const keyFields = source.keyField === undefined ? featureSet.entityNames : Array.isArray(source.keyField) ? source.keyField : [source.keyField];
  const timeField = source.timeField ?? featureSet.spec.timestampKey;
  const runId = options.runId ?? newRunId();
  const overwrite = options.overwrite ?? !source.schedule;
  const targetSpecs = options.targets ?? featureSet.spec.targets;
  if (targetSpecs.length === 0) throw new SpecError(`feature set "${featureSet.name}" has no targets; add spec.targets (e.g. kind: parquet, path: data/${featureSet.name}/)`);
  const signal = options.signal;
  const ctx: SourceContext = {
    featureSetName: featureSet.name,
    columnTypes: declaredColumnTypes(featureSet.spec.entities, featureSet.spec.features),
    keyFields,
    ...(timeField ? { timeField } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };

  const targets: OpenTarget[] = [];
  for (const t of targetSpecs) targets.push(await openTarget(t, featureSet, { ...options, runId, overwrite, keyFields, timeField }));

  const src = ready ?? (await options.connectors.createSource(source, ctx));
  let rowsRead = 0;
  try {
    const raw = src.read({ ...(signal ? { signal } : {}) });
    const batches: AsyncIterable<RecordBatch> = filterBatches(raw, {
      keyFields,
      ...(timeField ? { timeField } : {}),
      ...(options.startTime ?? source.startTime ? { startTime: options.startTime ?? source.startTime } : {}),
      ...(options.endTime ?? source.endTime ? { endTime: options.endTime ?? source.endTime } : {}),
      additionalFilters: (source.attributes?.additional_filters as never) ?? [],
      description: src.description,
    });
    for await (const batch of batches) {
      if (signal?.aborted) throw new AbortedError(`ingestion of ${featureSet.name} was aborted after ${rowsRead} rows; nothing of this run was committed`);
      rowsRead += batch.numRows;
      for (const t of targets) await t.writer.write(batch, signal ? { signal } : {});
      options.onProgress?.(rowsRead);
    }
  } catch (err) {
    await abortAll(targets, err, featureSet, clock);
    throw err;
  }
  const tRead = performance.now();

  const outcomes: TargetOutcome[] = [];
  for (const t of targets) {
    let res: CommitResult;
    try {
      res = await t.writer.commit(signal ? { signal } : {});
    } catch (err) {
      await abortAll(targets.filter((x) => !outcomes.some((o) => o.name === x.spec.name)), err, featureSet, clock);
      throw err;
    }
    const st = t.status;
    st.status = 'ready';
    st.updated = clock();
    st.size = res.bytes;
    st.rows = res.rows;
    // The watermark never moves back: a run that wrote nothing keeps the previous last_written (MLRun keeps the
    // window start), so a scheduled run does not re-read everything after an empty window.
    const before = featureSet.status.getTarget(st.name)?.lastWritten;
    const newest = res.lastWritten && before && before > res.lastWritten ? before : (res.lastWritten ?? before);
    if (newest) st.lastWritten = newest;
    if (options.producer) st.producer = options.producer;
    featureSet.status.updateTarget(st);
    await t.onCommitted?.();
    outcomes.push({ name: st.name, kind: st.kind ?? '', path: st.path ?? '', rows: res.rows, bytes: res.bytes, files: res.files.length, ...(res.lastWritten ? { lastWritten: res.lastWritten } : {}) });
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
  };
}

function isSource(x: unknown): x is Source & { spec?: DataSource } {
  return typeof x === 'object' && x !== null && typeof (x as Source).read === 'function';
}

async function openTarget(
  t: DataTargetBase,
  featureSet: FeatureSet,
  o: IngestOptions & { runId: string; overwrite: boolean; keyFields: string[]; timeField?: string },
): Promise<OpenTarget> {
  const previous = featureSet.status.getTarget(t.name);
  const status = new DataTarget({ name: t.name, kind: t.kind, status: 'created', ...(t.attributes ? { attributes: t.attributes } : {}), ...(t.credentialsPrefix ? { credentialsPrefix: t.credentialsPrefix } : {}) });
  if ((FILE_TARGET_KINDS as readonly string[]).includes(t.kind ?? '')) {
    const r = resolveFileTarget(t, featureSet, { runId: o.runId, overwrite: o.overwrite, keyFields: o.keyFields, ...(previous ? { previous } : {}), ...(o.timeField ? { timeField: o.timeField } : {}) });
    const format = await o.connectors.fileFormat(r.kind);
    const fs = await o.connectors.fileSystem(r.root, { ...(t.storageOptions ? { storageOptions: t.storageOptions } : {}), ...(t.credentialsPrefix ? { credentialsPrefix: t.credentialsPrefix } : {}) });
    const writer = new PartitionedFileWriter({
      fs,
      root: r.root,
      ...(r.fileName ? { singleFileName: r.fileName } : {}),
      format,
      // Parquet row groups default to max_events rows, so a flush completes a row group and the writer holds
      // less than one flush per open file (SPEC §4: memory bounded by max_events x open partitions).
      formatOptions: format.parseOptions(format.kind === 'parquet' ? { row_group_size: r.settings.maxEvents, ...(t.attributes ?? {}) } : (t.attributes ?? {})),
      partitioner: new Partitioner(r.partitionSpec, { maxPartitions: r.maxPartitions }),
      runId: o.runId,
      settings: r.settings,
      ...(o.timeField ? { timeField: o.timeField } : {}),
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
      if (!o.overwrite || !previous?.runId || previous.runId === r.targetRunId || !previous.path) return;
      const old = previous.path.replaceAll('{run_id}', previous.runId);
      const oldRoot = r.singleFile ? old.slice(0, old.lastIndexOf('/')) : old.replace(/\/+$/, '');
      if (oldRoot && oldRoot !== r.root) await fs.deletePrefix(oldRoot).catch(() => undefined);
    };
    return { spec: t, writer, status, onCommitted };
  }
  if (!o.connectors.createTarget) throw new SpecError(`target "${t.name}": kind "${t.kind}" is not supported; use parquet, csv or redisnosql`);
  const writer = await o.connectors.createTarget(t, {
    featureSet,
    runId: o.runId,
    overwrite: o.overwrite,
    keyFields: o.keyFields,
    ...(o.timeField ? { timeField: o.timeField } : {}),
    ...(o.secrets ? { secrets: o.secrets } : {}),
  });
  Object.assign(status, { path: t.path, runId: o.runId, online: true });
  return { spec: t, writer, status };
}

async function abortAll(targets: OpenTarget[], err: unknown, featureSet: FeatureSet, clock: Clock): Promise<void> {
  for (const t of targets) {
    await t.writer.abort(err).catch(() => undefined);
    const previous = featureSet.status.getTarget(t.spec.name);
    const st = previous ? DataTarget.fromDict(previous.toDict()) : t.status;
    st.status = 'error';
    st.updated = clock();
    featureSet.status.updateTarget(st);
  }
}
