import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { errorMessage } from '../errors.js';
import { systemClock } from '../util/time.js';
import { dueFire, nextFire } from './due-fire.js';
import { fireSchedule, type FireContext, type FireOutcome } from './fire-schedule.js';
import { resolveSchedule } from './schedule-record.js';

/** Options of {@link Scheduler}. */
export interface SchedulerOptions extends Omit<FireContext, 'clock' | 'holder' | 'signal'> {
  clock?: FireContext['clock'];
  /** Lease-lock holder id; default `<host>:<pid>:<random>`. */
  holder?: string;
  /** Only schedules of this project (default: every project). */
  project?: string;
  /** Longest sleep of the daemon between looks at the schedule list (default 5 s), so new schedules are seen. */
  pollMs?: number;
}

/** Options of {@link Scheduler.run}. */
export interface SchedulerRunOptions {
  /** Stops the daemon: no new fires; running ones may finish within `graceMs`, then they are aborted. */
  signal?: AbortSignal;
  /** How long running fires may take to finish after the stop signal (default 30 s). */
  graceMs?: number;
}

/** A new lease holder id for this process. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Fires due schedules from the run db. `runDue()` is one pass (for an external cron or a Kubernetes CronJob);
 * `run()` is the daemon. Several schedulers, in any processes or machines sharing the run db, may run at once:
 * the lease lock per schedule lets exactly one of them run each fire.
 *
 * @example
 * const s = new Scheduler({ db, connectors: builtinConnectors(), notifiers: await builtinNotifiers() });
 * const ac = new AbortController();
 * process.on('SIGTERM', () => ac.abort());
 * await s.run({ signal: ac.signal });
 */
export class Scheduler {
  readonly holder: string;
  private readonly clock: NonNullable<SchedulerOptions['clock']>;
  private readonly inFlight = new Map<string, Promise<FireOutcome>>();
  /** Aborts running fires (the grace period after a stop ran out). */
  private readonly abortRuns = new AbortController();
  private wake: (() => void) | undefined;
  /** Invalid-schedule messages already logged by the daemon (each is logged once). */
  private readonly reported = new Set<string>();

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? systemClock;
    this.holder = o.holder ?? newHolderId();
  }

  private context(): FireContext {
    return { ...this.o, clock: this.clock, holder: this.holder, signal: this.abortRuns.signal };
  }

  private async schedules(): Promise<Record<string, unknown>[]> {
    return this.o.db.listSchedules(this.o.project ? { project: this.o.project } : {});
  }

  /**
   * Starts every due schedule that is not already running in this process. Returns the started fires and the
   * outcomes of schedules that cannot be read (`invalid`).
   */
  private async startDue(): Promise<{ started: Promise<FireOutcome>[]; invalid: FireOutcome[] }> {
    const started: Promise<FireOutcome>[] = [];
    const invalid: FireOutcome[] = [];
    // Runs whose process died (no heartbeat) are marked error here too, so a lone scheduler keeps the run db honest.
    await this.o.db.expireRuns(this.o.project ? { project: this.o.project } : {});
    const now = this.clock();
    for (const dict of await this.schedules()) {
      const name = String(dict.name);
      const project = String(dict.project);
      const id = `${project}/${name}`;
      if (this.inFlight.has(id)) continue;
      try {
        if (!dueFire(resolveSchedule(dict), now)) continue;
      } catch (err) {
        invalid.push({ name, project, status: 'invalid', error: errorMessage(err) });
        continue;
      }
      const p = fireSchedule(dict, this.context())
        .catch((err: unknown): FireOutcome => ({ name, project, status: 'error', error: errorMessage(err) }))
        .then((out) => {
          this.inFlight.delete(id);
          // A fire that ran moved last_fire: look again now. One that found the lock taken waits for the poll.
          if (out.status !== 'locked' && out.status !== 'not-due') this.wake?.();
          return out;
        });
      this.inFlight.set(id, p);
      started.push(p);
    }
    return { started, invalid };
  }

  /** One pass: fires every due schedule once and waits for them; schedules that were not due are left out. */
  async runDue(): Promise<FireOutcome[]> {
    const { started, invalid } = await this.startDue();
    const outcomes = await Promise.all(started);
    return [...invalid, ...outcomes.filter((x) => x.status !== 'not-due')];
  }

  /** When the daemon should look again: the earliest next fire of a schedule not running here, or the poll bound. */
  private async nextWakeMs(): Promise<number> {
    const now = this.clock().getTime();
    let wake = now + (this.o.pollMs ?? 5000);
    for (const dict of await this.schedules()) {
      if (this.inFlight.has(`${String(dict.project)}/${String(dict.name)}`)) continue;
      try {
        const at = nextFire(resolveSchedule(dict)).getTime();
        if (at > now) wake = Math.min(wake, at);
      } catch {
        // an invalid schedule is reported when it is fired
      }
    }
    return wake;
  }

  /**
   * The daemon: fires due schedules (a fire missed while no scheduler ran runs once at start-up), sleeps until the
   * next fire, and repeats until `signal` aborts. Then it starts nothing new, lets running fires finish for
   * `graceMs`, aborts the rest through their signal (an aborted ingestion commits nothing) and resolves.
   */
  async run(opts: SchedulerRunOptions = {}): Promise<void> {
    const stop = opts.signal;
    const log = this.o.log;
    log?.(`scheduler ${this.holder}: started`);
    while (!stop?.aborted) {
      try {
        const { invalid } = await this.startDue();
        for (const x of invalid) {
          const msg = `schedule ${x.project}/${x.name} is invalid and does not fire: ${x.error}`;
          if (!this.reported.has(msg)) log?.(msg);
          this.reported.add(msg);
        }
        const wakeAt = await this.nextWakeMs();
        await this.sleep(Math.max(0, wakeAt - this.clock().getTime()), stop);
      } catch (err) {
        log?.(`scheduler: ${errorMessage(err)}; retrying`);
        await this.sleep(this.o.pollMs ?? 5000, stop);
      }
    }
    if (this.inFlight.size > 0) {
      const graceMs = opts.graceMs ?? 30_000;
      log?.(`scheduler: stopping; waiting up to ${graceMs} ms for ${this.inFlight.size} running fire(s)`);
      const all = Promise.allSettled([...this.inFlight.values()]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        log?.('scheduler: grace period over; aborting running fires');
        this.abortRunning();
        await all;
      }
    }
    log?.('scheduler: stopped');
  }

  /** Aborts the running fires now (their ingestion commits nothing); the daemon keeps its stop signal. */
  abortRunning(): void {
    this.abortRuns.abort(new Error('the scheduler is stopping'));
  }

  /** Sleeps `ms`, waking early when a fire ends or `signal` aborts. */
  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms + 5);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
