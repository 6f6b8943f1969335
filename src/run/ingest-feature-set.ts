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
import { failpoint } from '../util/failpoint.js';
import type { IngestOptions, IngestResult } from '../ingest/ingest-pipeline.js';
import type { RunDB } from './db/run-db.js';
import { openRunDB } from './db/open-run-db.js';
import type { Notifier } from './notify/notifier.js';
import type { RunObject } from './run-object.js';
import { run } from './run-task.js';
import type { RunContext } from './run-context.js';
import { withLease, type LeaseOptions } from './with-lease.js';
import { heartbeatSettings } from './heartbeat.js';

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
  /**
   * How long to wait when another run is ingesting this feature set (default 0: fail at once, naming that run).
   * One ingest per feature set (project + name) runs at a time, under a lease in the run db.
   */
  lockTimeoutMs?: number;
  /**
   * The feature-set lease: ttl and renewal period; default the heartbeat settings (60 s, renewed every 10 s, or
   * `SLUICE_HEARTBEAT_EXPIRY_SECONDS` / `SLUICE_HEARTBEAT_SECONDS`), so a dead holder's lease runs out when its run
   * is found stopped.
   */
  lease?: Pick<LeaseOptions, 'ttlMs' | 'renewMs'>;
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
  const lockName = featureSetLockName(featureSet);
  // Every setting is parsed before the run starts: a spec error is refused here and nothing is opened. The plan
  // is made again under the lease, against the newest stored status (previous run id, watermark).
  const stored0 = await db.getFeatureSet(featureSet.name, { project: featureSet.project, tag: featureSet.tag });
  if (stored0?.status) featureSet.status = FeatureSetStatus.fromDict(stored0.status, 'stored feature set status');
  const { runId, source } = await planIngestion(featureSet, options, options.connectors);
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
  /** The ingestion proper, under the feature-set lease: the stored status is read only now, so it is the newest. */
  /** The ingestion proper, under the feature-set lease: the stored status is read only now, so it is the newest. */
  const ingestLocked = async (ctx: RunContext, signal: AbortSignal): Promise<Record<string, unknown>> => {
    const stored = await db.getFeatureSet(featureSet.name, { project: featureSet.project, tag: featureSet.tag });
    if (stored?.status) featureSet.status = FeatureSetStatus.fromDict(stored.status, 'stored feature set status');
    const plan = await planIngestion(featureSet, { ...options, runId }, options.connectors);
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
      // The run applies each target's new status entry (ready, or error keeping the previous run id) and stores
      // the feature set below, committed or not.
      result = await runPlannedIngestion(plan, {
        ...options,
        producer,
        signal,
        secrets: { get: (k) => ctx.getSecret(k) },
        onStatus: (st) => featureSet.status.updateTarget(st),
      });
      failpoint('after-commit');
    } finally {
      await db.storeFeatureSet(withoutUrlPasswords(featureSet.toDict()));
    }
    for (const t of result.targets) {
      ctx.logger.info(`target ${t.name}: ${t.rows} rows, ${t.bytes} bytes in ${t.files} files at ${t.path}`);
      if (result.committed) ctx.logger.info(`target ${t.name}: read back with ${readBack(t.kind, t.path, t.runId ?? runId).command}`);
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
      ...(result.committed ? { data_paths: Object.fromEntries(result.targets.map((t) => [t.name, committedPath(t.path, t.runId ?? runId)])) } : {}),
      timings_ms: result.timings,
    };
  };

  const r = await run(
    task,
    async (ctx) => {
      const beat = heartbeatSettings();
      const leased = await withLease(db, lockName, ctx.uid, (lost) => ingestLocked(ctx, AbortSignal.any([ctx.signal, lost])), {
        ttlMs: beat.expiryMs,
        renewMs: beat.intervalMs,
        ...options.lease,
        waitMs: options.lockTimeoutMs ?? 0,
        signal: ctx.signal,
        onLost: (reason) => ctx.logger.error(`${reason}; aborting the ingestion`),
      });
      if (!leased.acquired) throw new SluiceError('CONFLICT', await busyMessage(db, lockName, featureSet));
      return leased.value;
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
  if ((await r.state()) !== 'completed' && (options.raiseOnFailure ?? true)) {
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

/** The run-db lease that lets one ingestion of a feature set (project + name) run at a time. */
export function featureSetLockName(featureSet: FeatureSet): string {
  return `feature-set:${featureSet.project}/${featureSet.name}`;
}

/** Why an ingestion could not start: the run that holds the feature set's lease, and when it started. */
async function busyMessage(db: RunDB, lockName: string, featureSet: FeatureSet): Promise<string> {
  const lock = await db.readLock(lockName).catch(() => undefined);
  const holder = lock?.holder ?? 'another run';
  const started = lock ? (await db.readRun(lock.holder, { project: featureSet.project }).catch(() => undefined))?.status?.start_time : undefined;
  const wait = lock ? `wait for it (sluice runs wait ${holder})` : 'wait for it';
  return `feature set ${featureSet.project}/${featureSet.name} is being ingested by run ${holder} (${started ? `started ${started}` : 'started at an unknown time'}); ${wait} or give a lock timeout (--lock-timeout <seconds>)`;
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
