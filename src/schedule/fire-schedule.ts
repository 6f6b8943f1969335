import { errorMessage } from '../errors.js';
import { newRunId } from '../util/ids.js';
import type { IngestConnectors } from '../ingest/ingest-pipeline.js';
import type { RunDB } from '../run/db/run-db.js';
import { ingestFeatureSet } from '../run/ingest-feature-set.js';
import type { Notifier } from '../run/notify/notifier.js';
import { formatTime, type Clock } from '../util/time.js';
import { dueFire } from './due-fire.js';
import { featureSetWatermark, incrementalWindow } from '../ingest/incremental-window.js';
import { resolveSchedule, type ResolvedSchedule, type ScheduleRecord } from './schedule-record.js';
import { withLease, type LeaseOptions } from '../run/with-lease.js';

/** What a fire needs. */
export interface FireContext {
  db: RunDB;
  connectors: IngestConnectors;
  notifiers?: Iterable<Notifier>;
  clock: Clock;
  /** This scheduler's identity in the lease locks (unique per process). */
  holder: string;
  lease?: LeaseOptions;
  /** Aborts the running ingestion (shutdown after the grace period); nothing half-committed stays. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** How a fire attempt ended. */
export type FireStatus = 'completed' | 'error' | 'aborted' | 'empty-window' | 'not-due' | 'locked' | 'removed' | 'invalid';

/** The outcome of {@link fireSchedule}. */
export interface FireOutcome {
  name: string;
  project: string;
  status: FireStatus;
  /** The scheduled instant that fired. */
  fireTime?: Date;
  runUid?: string;
  window?: { start?: Date; end: Date };
  rowsRead?: number;
  error?: string;
}

function key(dict: unknown): { name: string; project: string } {
  const d = (dict ?? {}) as { name?: unknown; project?: unknown };
  return { name: String(d.name), project: typeof d.project === 'string' ? d.project : 'default' };
}

async function reread(db: RunDB, name: string, project: string): Promise<Record<string, unknown> | undefined> {
  return (await db.listSchedules({ project })).find((d) => d.name === name);
}

/**
 * Fires one schedule if it is due: takes the schedule's lease lock (no two runs of a schedule overlap, across
 * processes and machines), checks again under the lock that it is still due (another scheduler may just have run
 * it), ingests the window `(watermark - lookback, now - lateness]` as an append run labelled `schedule: <name>`,
 * and records `last_fire` / `last_run`. A failed run still counts as fired (the watermark did not move, so the
 * next fire re-reads its rows); a run aborted by shutdown does not, so the next start-up runs it again.
 */
export async function fireSchedule(dict: Record<string, unknown>, ctx: FireContext, o: { force?: boolean } = {}): Promise<FireOutcome> {
  const { name, project } = key(dict);
  let s: ResolvedSchedule;
  try {
    s = resolveSchedule(dict);
  } catch (err) {
    return { name, project, status: 'invalid', error: errorMessage(err) };
  }
  if (!o.force && !dueFire(s, ctx.clock())) return { name, project, status: 'not-due' };
  const leased = await withLease(ctx.db, s.lockName, ctx.holder, (lost) => fireLocked(s, ctx, lost, o.force ?? false), {
    ...ctx.lease,
    onLost: (reason) => ctx.log?.(`schedule ${project}/${name}: ${reason}; aborting the run`),
  });
  return leased.acquired ? leased.value : { name, project, status: 'locked' };
}

async function fireLocked(first: ResolvedSchedule, ctx: FireContext, lost: AbortSignal, force: boolean): Promise<FireOutcome> {
  const { name, project } = first.record;
  const fresh = await reread(ctx.db, name, project);
  if (!fresh) return { name, project, status: 'removed' };
  const s = resolveSchedule(fresh);
  const now = ctx.clock();
  const fireTime = dueFire(s, now) ?? (force ? now : undefined);
  if (!fireTime) return { name, project, status: 'not-due' };

  const fs = s.featureSet;
  const stored = await ctx.db.getFeatureSet(fs.name, { project: fs.project, tag: fs.tag });
  const window = incrementalWindow({
    now,
    watermark: featureSetWatermark(stored?.status),
    allowedLatenessSeconds: s.allowedLatenessSeconds,
    lookbackSeconds: s.lookbackSeconds,
  });
  const shown = `(${window.start ? formatTime(window.start) : '-inf'}, ${formatTime(window.end)}]`;
  let out: FireOutcome;
  if (window.start && window.start >= window.end) {
    ctx.log?.(`schedule ${project}/${name}: fire ${formatTime(fireTime)}: window ${shown} is empty (watermark is not older than now - allowed lateness); nothing to read`);
    out = { name, project, status: 'empty-window', fireTime, window };
  } else {
    ctx.log?.(`schedule ${project}/${name}: fire ${formatTime(fireTime)}: ingesting ${fs.uri}, window ${shown}`);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, lost]) : lost;
    // A fire that died mid-run (a crash, a kill) left its in-flight run id in the record: the next fire re-runs
    // under that id, so the deterministic file names and the retry cleanup replace the files it had written
    // instead of appending them a second time.
    const runId = s.record.in_flight?.run_id ?? newRunId(() => now.getTime());
    await ctx.db.storeSchedule({ ...fresh, in_flight: { run_id: runId, started: formatTime(now) } });
    try {
      const r = await ingestFeatureSet(fs, {
        runId,
        db: ctx.db,
        connectors: ctx.connectors,
        ...(ctx.notifiers ? { notifiers: ctx.notifiers } : {}),
        overwrite: false,
        ...(window.start ? { startTime: window.start } : {}),
        endTime: window.end,
        ...(s.notifications.length ? { notifications: s.notifications } : {}),
        ...(s.record.secrets?.length ? { secrets: s.record.secrets } : {}),
        ...(s.record.cwd ? { cwd: s.record.cwd } : {}),
        clock: ctx.clock,
        signal,
        raiseOnFailure: false,
        labels: { schedule: name },
      });
      const state = await r.run.state();
      const status: FireStatus = state === 'completed' ? 'completed' : state === 'aborted' ? 'aborted' : 'error';
      out = { name, project, status, fireTime, window, runUid: r.run.uid, ...(r.result ? { rowsRead: r.result.rowsRead } : {}), ...(r.run.error ? { error: r.run.error } : {}) };
    } catch (err) {
      out = { name, project, status: 'error', fireTime, window, error: errorMessage(err) };
    }
    ctx.log?.(`schedule ${project}/${name}: run ${out.runUid ?? '-'} ${out.status}${out.rowsRead !== undefined ? `, ${out.rowsRead} rows read` : ''}${out.error ? `: ${out.error}` : ''}`);
  }
  if (out.status === 'aborted' && ctx.signal?.aborted) return out; // shutdown: the next start-up runs this fire again
  await recordFire(ctx.db, s.record, out);
  return out;
}

async function recordFire(db: RunDB, record: ScheduleRecord, out: FireOutcome): Promise<void> {
  const latest = await reread(db, record.name, record.project);
  if (!latest) return; // removed while running: do not bring it back
  const lastRun: NonNullable<ScheduleRecord['last_run']> = {
    ...(out.runUid ? { uid: out.runUid } : {}),
    state: out.status,
    ...(out.window?.start ? { start_time: formatTime(out.window.start) } : {}),
    ...(out.window ? { end_time: formatTime(out.window.end) } : {}),
    ...(out.error ? { error: out.error } : {}),
  };
  // The run ended inside this process (a failed run aborted its targets): nothing of it is left in flight.
  const { in_flight: _done, ...rest } = latest;
  await db.storeSchedule({ ...rest, ...(out.fireTime ? { last_fire: formatTime(out.fireTime) } : {}), last_run: lastRun });
}
