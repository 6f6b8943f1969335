import { SpecError, errorMessage } from '../errors.js';
import type { HeartbeatReply, RunDB } from './db/run-db.js';

/** How often a running process reports that it is alive, and when its run counts as stopped without a report. */
export interface HeartbeatSettings {
  /** Milliseconds between heartbeats (default 10 s; `SLUICE_HEARTBEAT_SECONDS`). */
  intervalMs: number;
  /** A run with no heartbeat for this long is marked `error` by the next reader (default 60 s; `SLUICE_HEARTBEAT_EXPIRY_SECONDS`). */
  expiryMs: number;
}

/** Defaults: a heartbeat every 10 s, a run stopped after 60 s without one. */
export const DEFAULT_HEARTBEAT: HeartbeatSettings = { intervalMs: 10_000, expiryMs: 60_000 };

function seconds(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new SpecError(`${name}: ${JSON.stringify(raw)} is not a positive number of seconds up to 86,400`);
  return n * 1000;
}

/**
 * The heartbeat settings: `given` wins, then the environment (`SLUICE_HEARTBEAT_SECONDS`,
 * `SLUICE_HEARTBEAT_EXPIRY_SECONDS`), then {@link DEFAULT_HEARTBEAT}. The expiry must exceed the interval.
 */
export function heartbeatSettings(given: Partial<HeartbeatSettings> = {}, env: Readonly<Record<string, string | undefined>> = process.env): HeartbeatSettings {
  const intervalMs = given.intervalMs ?? seconds(env, 'SLUICE_HEARTBEAT_SECONDS') ?? DEFAULT_HEARTBEAT.intervalMs;
  const expiryMs = given.expiryMs ?? seconds(env, 'SLUICE_HEARTBEAT_EXPIRY_SECONDS') ?? DEFAULT_HEARTBEAT.expiryMs;
  if (!(expiryMs > intervalMs)) {
    throw new SpecError(`heartbeat expiry ${expiryMs / 1000} s must be longer than the heartbeat interval ${intervalMs / 1000} s (SLUICE_HEARTBEAT_EXPIRY_SECONDS, SLUICE_HEARTBEAT_SECONDS)`);
  }
  return { intervalMs, expiryMs };
}

/**
 * Sends a heartbeat for run `uid` now and every `intervalMs` until the returned `stop()` is called. A failed
 * heartbeat is reported to `onError` and retried at the next tick (the run expires only if they keep failing).
 * When a heartbeat's reply says an abort was requested (`RunDB.abortRun`, from any process), `onAbortRequested`
 * is called, once.
 */
export async function startHeartbeat(
  db: RunDB,
  uid: string,
  project: string,
  s: HeartbeatSettings,
  onError: (message: string) => void = () => undefined,
  onAbortRequested: () => void = () => undefined,
): Promise<() => Promise<void>> {
  let told = false;
  const heard = (reply: HeartbeatReply) => {
    if (reply.abortRequested && !told) {
      told = true;
      onAbortRequested();
    }
  };
  heard(await db.heartbeat(uid, s.expiryMs, { project }));
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pending = db
      .heartbeat(uid, s.expiryMs, { project })
      .then(heard)
      .catch((err: unknown) => onError(`heartbeat of run ${uid} failed: ${errorMessage(err)}`));
  }, s.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pending;
  };
}
