import { userInfo } from 'node:os';
import { SluiceError, SpecError, errorMessage } from '../errors.js';
import type { FeatureSet } from '../model/feature-set.js';
import { FeatureSetProducer } from '../model/feature-set-producer.js';
import { committedPath, readBack } from './read-back.js';
import { FeatureSetStatus } from '../model/feature-set-status.js';
import { newTask } from '../model/new-task.js';
import type { Notification } from '../model/notification.js';
import { formatTime } from '../util/time.js';
import { redactUrl } from '../util/redact.js';
import { runPlannedIngestion } from '../ingest/ingest-pipeline.js';
import { planIngestion } from '../ingest/plan-ingestion.js';
import type { IngestOptions, IngestResult } from '../ingest/ingest-pipeline.js';
import type { RunDB } from './db/run-db.js';
import { openRunDB } from './db/open-run-db.js';
import type { Notifier } from './notify/notifier.js';
import type { RunObject } from './run-object.js';
import { run } from './run-task.js';

export interface IngestFeatureSetOptions extends Omit<IngestOptions, 'producer' | 'secrets'> {
  /** The run db that tracks the run and keeps the feature set's status (default `openRunDB()`). */
  db?: RunDB;
  /** Secret sources as `newTask` takes them: `'env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY'`, `'file=path'`. */
  secrets?: string[];
  notifications?: Notification[];
  notifiers?: Iterable<Notifier>;
  /** Echo the run's log lines to stdout. */
  watch?: boolean;
  /** Throw when the ingestion fails (default true); false returns the failed run. */
  raiseOnFailure?: boolean;
  /** Extra labels of the run (the scheduler adds `schedule: <name>`). */
  labels?: Record<string, string>;
}

export interface IngestOutcome {
  /** The tracked run: its results hold rows read, skipped and written per target, and timings. */
  run: RunObject;
  /** The feature set with its status updated (one `DataTarget` per target). */
  featureSet: FeatureSet;
  /** The ingestion figures; undefined when it failed. */
  result?: IngestResult;
}

/**
 * Ingests a feature set as a tracked run (MLRun's `ingest`): the run is recorded in the run db with its
 * parameters, logs and results; the feature set's status (targets with `{run_id}` paths, `last_written`,
 * producer) is read from and stored back to the run db, so append reuses the run id of the previous run and
 * scheduled runs find their watermark.
 */
export async function ingestFeatureSet(featureSet: FeatureSet, options: IngestFeatureSetOptions): Promise<IngestOutcome> {
  const db = options.db ?? (await openRunDB(options.cwd ? { cwd: options.cwd } : {}));
  const stored = await db.getFeatureSet(featureSet.name, { project: featureSet.project, tag: featureSet.tag });
  if (stored?.status) featureSet.status = FeatureSetStatus.fromDict(stored.status, 'stored feature set status');
  // Every setting is parsed before the run starts: a spec error is refused here and nothing is opened.
  const plan = await planIngestion(featureSet, options, options.connectors);
  const { runId, source } = plan;
  const params: Record<string, unknown> = { feature_set: featureSet.uri, run_id: runId };
  if (options.overwrite !== undefined) params.overwrite = options.overwrite;
  // A source URL may carry a password (postgres://user:pw@...): runs and logs only ever see it redacted.
  const sourcePath = source.path ? redactUrl(source.path) : undefined;
  if (sourcePath) params.source_path = sourcePath;
  if (options.startTime) params.start_time = formatTime(options.startTime);
  if (options.endTime) params.end_time = formatTime(options.endTime);
  const task = newTask({ name: `ingest-${featureSet.name}`, project: featureSet.project, params, ...(options.secrets ? { secrets: options.secrets } : {}) })
    .setLabel('kind', 'ingest')
    .setLabel('feature-set', featureSet.name);
  for (const [k, v] of Object.entries(options.labels ?? {})) task.setLabel(k, v);
  if (options.notifications) task.spec.notifications = options.notifications;

  let result: IngestResult | undefined;
  const r = await run(
    task,
    async (ctx) => {
      const producer = new FeatureSetProducer({
        kind: 'run',
        name: ctx.name,
        uri: `${ctx.project}@${ctx.uid}`,
        owner: safeUser(),
        sources: sourcePath ? { [source.name ?? 'source']: sourcePath } : {},
      });
      const targets = plan.targets.map((t) => `${t.name} (${t.kind})`).join(', ');
      ctx.logger.info(`ingesting ${featureSet.uri} from ${source.kind ?? '?'} ${sourcePath ?? ''} into ${targets}, run id ${runId}`);
      for (const w of plan.warnings) ctx.logger.warn(w);
      checkStorable(featureSet);
      try {
        result = await runPlannedIngestion(plan, { ...options, producer, signal: ctx.signal, secrets: { get: (k) => ctx.getSecret(k) } });
      } finally {
        await db.storeFeatureSet(withoutUrlPasswords(featureSet.toDict()));
      }
      for (const t of result.targets) {
        ctx.logger.info(`target ${t.name}: ${t.rows} rows, ${t.bytes} bytes in ${t.files} files at ${t.path}`);
        if (result.committed) ctx.logger.info(`target ${t.name}: read back with ${readBack(t.kind, t.path, runId).command}`);
      }
      for (const w of result.warnings.slice(plan.warnings.length)) ctx.logger.warn(w);
      if (result.rowsSkipped || result.rowsQuarantined) ctx.logger.warn(`bad rows: ${result.rowsSkipped} skipped, ${result.rowsQuarantined} quarantined`);
      return {
        ingest_run_id: runId,
        committed: result.committed,
        rows_read: result.rowsRead,
        rows_skipped: result.rowsSkipped,
        rows_quarantined: result.rowsQuarantined,
        rows_written: Object.fromEntries(result.targets.map((t) => [t.name, t.rows])),
        bytes_written: Object.fromEntries(result.targets.map((t) => [t.name, t.bytes])),
        ...(result.committed ? { data_paths: Object.fromEntries(result.targets.map((t) => [t.name, committedPath(t.path, runId)])) } : {}),
        timings_ms: result.timings,
      };
    },
    {
      db,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.watch ? { watch: true } : {}),
      ...(options.notifiers ? { notifiers: options.notifiers } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    },
  );
  if (r.state() !== 'completed' && (options.raiseOnFailure ?? true)) {
    throw new SluiceError('RUN_FAILED', `ingestion of ${featureSet.uri} failed (run ${r.uid}): ${r.error}`);
  }
  return { run: r, featureSet, ...(result ? { result } : {}) };
}

/**
 * The feature set is stored after the targets commit, so it must serialise before anything is written: a run
 * never reports a failure after its data is committed.
 */
function checkStorable(featureSet: FeatureSet): void {
  try {
    featureSet.toDict();
  } catch (err) {
    throw new SpecError(
      `feature set ${featureSet.uri} cannot be stored (${errorMessage(err)}); nothing was written. Assign sources and targets as new DataSource(...) / new DataTargetBase(...), or pass option objects to new FeatureSet`,
      { cause: err },
    );
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The feature set dict with every URL password replaced (source path, `db_url`, target paths). */
function withoutUrlPasswords(dict: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return /^[a-z][a-z0-9+.-]*:\/\/[^/\s]*:[^/\s]*@/i.test(v) ? redactUrl(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(dict) as Record<string, unknown>;
}
