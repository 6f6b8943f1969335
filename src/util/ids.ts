import { randomBytes, randomInt } from 'node:crypto';

/** A run uid: 32 lowercase hex characters, as MLRun's. */
export function newUid(): string {
  return randomBytes(16).toString('hex');
}

/**
 * A target run id, `<epoch_ms>_<n>` with n in 0..999, as MLRun's `generate_target_run_id`. Sortable by time.
 * @param now the clock, injectable for tests
 */
export function newRunId(now: () => number = Date.now): string {
  return `${now()}_${randomInt(0, 1000)}`;
}
