/**
 * Wall-clock time in an IANA zone, as the cron wrapper needs it: an instant's local wall time (as a "naive"
 * epoch, the wall time read as if it were UTC) and back, with explicit rules for the DST gap and overlap.
 */
import { IANAZone } from 'luxon';
import { SpecError } from '../errors.js';

const DAY_MS = 86_400_000;

/** A checked IANA zone (`Europe/Berlin`, `UTC`); throws a `SpecError` naming `what` and the value. */
export function checkZone(tz: string, what: string): IANAZone {
  const zone = IANAZone.isValidZone(tz) ? IANAZone.create(tz) : undefined;
  if (!zone?.isValid) {
    throw new SpecError(`${what}: ${JSON.stringify(tz)} is not an IANA time zone; expected a name such as UTC, Europe/Berlin or America/New_York`);
  }
  return zone;
}

/** The wall time of `instantMs` in `zone`, as a naive epoch (wall time read as UTC). */
export function toWall(instantMs: number, zone: IANAZone): number {
  return instantMs + zone.offset(instantMs) * 60_000;
}

/**
 * The instant at which `zone`'s wall clock shows `wallMs` (a naive epoch) for the first time:
 * - a wall time that exists once maps to that instant;
 * - a repeated wall time (DST overlap) maps to its first occurrence;
 * - a skipped wall time (DST gap) maps to the first valid instant after it: the moment of the transition.
 * Assumes at most one offset change within a day around `wallMs` (true of every real zone).
 */
export function fromWall(wallMs: number, zone: IANAZone): number {
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  const valid = [before, after]
    .map((off) => wallMs - off * 60_000)
    .filter((instant) => toWall(instant, zone) === wallMs)
    .sort((a, b) => a - b);
  if (valid[0] !== undefined) return valid[0];
  // A gap: the wall clock jumps over wallMs. Find the first instant whose wall time is past it.
  let lo = wallMs - Math.max(before, after) * 60_000; // wall(lo) < wallMs
  let hi = wallMs - Math.min(before, after) * 60_000; // wall(hi) > wallMs
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (toWall(mid, zone) >= wallMs) hi = mid;
    else lo = mid;
  }
  return hi;
}
