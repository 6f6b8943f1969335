import { parseTime } from '../util/time.js';
import type { ResolvedSchedule } from './schedule-record.js';

/**
 * The fire of a schedule that is due at `now`, or undefined. The first fire after `last_fire` (else after
 * `created`) must have come; then the due instant is the latest fire at or before `now`, so fires missed while no
 * scheduler ran collapse into one run.
 */
export function dueFire(s: ResolvedSchedule, now: Date): Date | undefined {
  const next = nextFire(s);
  if (next > now) return undefined;
  return s.cron.previous(now) ?? next;
}

/** The first fire after the last one (or after the schedule was created). */
export function nextFire(s: ResolvedSchedule): Date {
  const r = s.record;
  const after = r.last_fire ? parseTime(r.last_fire, `schedule ${r.name}: last_fire`) : parseTime(r.created, `schedule ${r.name}: created`);
  return s.cron.next(after);
}
