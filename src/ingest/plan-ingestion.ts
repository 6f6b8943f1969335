import { SpecError } from '../errors.js';
import type { Source } from '../arrow/source.js';
import { DataSource } from '../model/data-source.js';
import type { DataTargetBase } from '../model/data-target-base.js';
import { DataTarget } from '../model/data-target.js';
import type { FeatureSet } from '../model/feature-set.js';
import { newRunId } from '../util/ids.js';
import { checkPathPart, checkRunId } from '../util/path-parts.js';
import { validateFilters } from './filter-spec.js';
import { featureSetWatermark, incrementalWindow } from './incremental-window.js';
import type { SourceFilter } from './filter-spec.js';
import { resolveFileTarget } from './resolve-file-target.js';
import type { ResolvedFileTarget } from './resolve-file-target.js';
import { CORE_FILE_TARGET_KEYS, CORE_SOURCE_KEYS, checkSettingKeys } from './setting-keys.js';
import type { FileFormat, FormatOptions } from './target-writer.js';
import type { TargetCapabilities, TargetKind } from './target-kind.js';

/** What a caller asks of one ingestion, on top of the feature set's spec. */
export interface IngestRequest {
  /** Overrides `spec.source`: a spec, or a ready {@link Source} whose `spec` (when it has one) supplies key, time and window. */
  source?: DataSource | (Source & { spec?: DataSource });
  /** Overrides `spec.targets`. */
  targets?: DataTargetBase[];
  /** The run id (default a new `<epoch_ms>_<n>`). */
  runId?: string;
  /** Replace the targets' data (default: true, false when the source has a schedule, as MLRun). */
  overwrite?: boolean;
  /** Override the source's window: `start < t <= end`. */
  startTime?: Date;
  endTime?: Date;
  /** Let an overwrite run that read 0 rows replace the targets' data with nothing. */
  allowEmpty?: boolean;
  /**
   * Append into these run directories (target name → run id) instead of the one the status records: a stream
   * cycle re-run after a crash writes where the interrupted cycle wrote.
   */
  appendTo?: Readonly<Record<string, string>>;
  /** The time of the run, for the incremental window of a scheduled source (default: the clock). */
  now?: Date;
}

/** What planning needs from connectors: what a target kind is and can do, and the settings each source kind owns. */
export interface PlanConnectors {
  /** The target kind's capabilities, settings and (file targets) format; a `SpecError` for an unknown kind. */
  targetKind(kind: string): Promise<TargetKind>;
  /**
   * The `attributes` keys the connector of a source kind parses; undefined when the kind is not known here (it is
   * then checked when the source is created).
   */
  sourceSettings?(kind: string): Promise<readonly string[] | undefined>;
}

/** One target of a plan, with its settings parsed. */
export interface PlannedTarget {
  readonly spec: DataTargetBase;
  readonly name: string;
  /** The canonical kind. */
  readonly kind: string;
  readonly capabilities: TargetCapabilities;
  /** The target's status entry before this run (a copy): previous run id, path and watermark. */
  readonly previous?: DataTarget;
  /** Set for a file target: where it writes, how it partitions and flushes, and its format. */
  readonly file?: { readonly resolved: ResolvedFileTarget; readonly format: FileFormat; readonly formatOptions: FormatOptions };
}

/**
 * An ingestion with every setting parsed once, before anything is opened (ARCHITECTURE: spec → plan → execute).
 * Frozen; the specs it holds are the caller's.
 */
export interface IngestionPlan {
  readonly featureSet: FeatureSet;
  readonly runId: string;
  readonly overwrite: boolean;
  readonly allowEmpty: boolean;
  readonly keyFields: readonly string[];
  readonly timeField?: string;
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly filters: readonly SourceFilter[];
  /** The source spec (a ready source's spec, or a `custom` placeholder). */
  readonly source: DataSource;
  /** A ready source the caller passed. */
  readonly readySource?: Source;
  /** Rows per batch asked of the source (`attributes.batch_size`). */
  readonly batchSize?: number;
  readonly targets: readonly PlannedTarget[];
  /** One line each: MLRun settings that are ignored. */
  readonly warnings: readonly string[];
}

/** A copy of a status entry (or a new one) pointing at another run directory. */
function withRunId(previous: DataTarget | undefined, name: string, runId: string): DataTarget {
  const st = previous ? DataTarget.fromDict(previous.toDict()) : new DataTarget({ name });
  st.runId = runId;
  return st;
}

function isSource(x: unknown): x is Source & { spec?: DataSource } {
  return typeof x === 'object' && x !== null && typeof (x as Source).read === 'function';
}

/**
 * Builds the plan of one ingestion: run id, overwrite, key fields, time field, window, validated filters, the
 * source, and each target with its parsed settings. Every `attributes` key must have an owner (the core or the
 * connector); nothing is opened or written, so a spec error never leaves anything behind.
 * @throws SpecError naming the key, the value and what is accepted.
 */
export async function planIngestion(featureSet: FeatureSet, request: IngestRequest, connectors: PlanConnectors): Promise<IngestionPlan> {
  const fsName = `feature set "${featureSet.name}"`;
  const ready = isSource(request.source) ? request.source : undefined;
  const source = ready ? (ready.spec ?? new DataSource({ kind: 'custom' })) : ((request.source as DataSource | undefined) ?? featureSet.spec.source);
  if (!source) throw new SpecError(`${fsName} has no source; set spec.source or pass one (--source-path on the command line)`);
  if (!source.kind) throw new SpecError(`${fsName}: source.kind is missing; use csv, parquet, jsonl, arrow, sql or redis-stream`);
  const keyFields = source.keyField === undefined ? featureSet.entityNames : Array.isArray(source.keyField) ? source.keyField : [source.keyField];
  const timeField = source.timeField ?? featureSet.spec.timestampKey;
  const runId = request.runId === undefined ? newRunId() : checkRunId(request.runId, 'run id');
  const overwrite = request.overwrite ?? !source.schedule;
  const targetSpecs = request.targets ?? featureSet.spec.targets;
  if (targetSpecs.length === 0) throw new SpecError(`${fsName} has no targets; add spec.targets (e.g. kind: parquet, path: data/${featureSet.name}/)`);
  checkPathPart(featureSet.name, 'feature set metadata.name');
  checkPathPart(featureSet.project, `${fsName} metadata.project`);
  const names = new Set<string>();
  for (const t of targetSpecs) {
    checkPathPart(t.name, `${fsName} target name`);
    if (names.has(t.name)) throw new SpecError(`${fsName}: two targets are named "${t.name}"; give each target its own name`);
    names.add(t.name);
  }
  // A source with a schedule reads incrementally, as a scheduled fire does (SPEC §8, MLRun's `_ingest`):
  // `(watermark - lookback, now - allowed_lateness]`, so two plain ingests never append the same rows twice.
  const incremental = source.schedule && request.startTime === undefined && request.endTime === undefined
    ? incrementalWindow({
        now: request.now ?? new Date(),
        watermark: featureSetWatermark(featureSet.status.toDict()),
        // Checked (numbers of seconds >= 0) by incrementalWindow.
        allowedLatenessSeconds: source.attributes?.allowed_lateness_seconds as number | undefined,
        lookbackSeconds: source.attributes?.lookback_seconds as number | undefined,
      })
    : undefined;
  const startTime = request.startTime ?? incremental?.start ?? source.startTime;
  const endTime = request.endTime ?? (incremental && source.endTime && source.endTime < incremental.end ? source.endTime : incremental?.end) ?? source.endTime;

  // An incremental window may be empty (everything up to now - allowed_lateness was ingested): it reads nothing.
  if (startTime && endTime && startTime > endTime && !incremental) {
    throw new SpecError(`${fsName}: start_time ${startTime.toISOString()} is later than end_time ${endTime.toISOString()}; the window is start < t <= end, so nothing could be read`);
  }

  const srcWhere = `${fsName} source (${source.kind}${source.path ? ` ${source.path}` : ''})`;
  const attrs = source.attributes ?? {};
  const warnings: string[] = [];
  const sourceKeys = ready && !ready.spec ? [] : await connectors.sourceSettings?.(source.kind);
  if (sourceKeys !== undefined) warnings.push(...checkSettingKeys(attrs, [...CORE_SOURCE_KEYS, ...sourceKeys], srcWhere));
  const filters = validateFilters(attrs.additional_filters, `${srcWhere}: attributes.additional_filters`);
  let batchSize: number | undefined;
  if (attrs.batch_size !== undefined) {
    const b = attrs.batch_size;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 1 || b > 10_000_000) {
      throw new SpecError(`${srcWhere}: attributes.batch_size ${JSON.stringify(b)} is not an integer in 1..10,000,000 (rows per batch read)`);
    }
    batchSize = b;
  }

  const targets: PlannedTarget[] = [];
  for (const t of targetSpecs) {
    const where = `${fsName} target "${t.name}" (${t.kind})`;
    if (!t.kind) throw new SpecError(`${fsName} target "${t.name}": kind is missing; use parquet, csv or redisnosql`);
    const info = await connectors.targetKind(t.kind).catch((err: unknown) => {
      throw err instanceof SpecError ? new SpecError(`${fsName} target "${t.name}": ${err.message}`) : err;
    });
    const stored = featureSet.status.getTarget(t.name);
    const previous = stored ? DataTarget.fromDict(stored.toDict()) : undefined;
    const common = { spec: t, name: t.name, kind: info.kind, capabilities: info.capabilities, ...(previous ? { previous } : {}) };
    if (!overwrite && !info.capabilities.append) throw new SpecError(`${where}: this kind cannot append (overwrite: false); ingest with overwrite`);
    if (info.fileFormat) {
      const format = info.fileFormat;
      const appendTo = request.appendTo?.[t.name];
      const prior = appendTo === undefined ? previous : withRunId(previous, t.name, checkRunId(appendTo, `${where}: appendTo`));
      const resolved = resolveFileTarget(t, featureSet, { runId, overwrite, keyFields, ...(prior ? { previous: prior } : {}), ...(timeField ? { timeField } : {}) });
      warnings.push(...checkSettingKeys(t.attributes, [...CORE_FILE_TARGET_KEYS, ...info.settings], where));
      // Parquet row groups default to max_events rows, so a flush completes a row group and the writer holds
      // less than one flush per open file (SPEC §4: memory bounded by max_events x open partitions).
      const given = t.attributes ?? {};
      let formatOptions: FormatOptions;
      try {
        formatOptions = format.parseOptions(info.settings.includes('row_group_size') && given.row_group_size === undefined ? { ...given, row_group_size: resolved.settings.maxEvents } : given);
      } catch (err) {
        throw err instanceof SpecError ? new SpecError(`${where}: ${err.message}`) : err;
      }
      targets.push({ ...common, file: { resolved, format, formatOptions } });
    } else {
      warnings.push(...checkSettingKeys(t.attributes, info.settings, where));
      targets.push(common);
    }
  }
  return Object.freeze({
    featureSet,
    runId,
    overwrite,
    allowEmpty: request.allowEmpty ?? false,
    keyFields: Object.freeze([...keyFields]),
    ...(timeField ? { timeField } : {}),
    ...(startTime ? { startTime } : {}),
    ...(endTime ? { endTime } : {}),
    filters: Object.freeze(filters),
    source,
    ...(ready ? { readySource: ready } : {}),
    ...(batchSize ? { batchSize } : {}),
    targets: Object.freeze(targets),
    warnings: Object.freeze(warnings),
  });
}
