import { DateTime } from 'luxon';

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 4096;

/**
 * Offsets of one IANA zone for naive wall times: `offsetMs(localMs)` is the offset (east of UTC) that makes
 * the wall time `localMs` (milliseconds of the wall time read as UTC) an instant, `utc = local - offset`.
 * Offsets are cached per wall-clock hour when the zone's offset does not change within that hour, so a
 * column of times costs one luxon call per hour of data. Wall times in a DST gap move forward and ambiguous
 * ones (the repeated hour in autumn) take the later instant (standard time), as luxon does.
 */
export class ZoneOffsets {
  private readonly cache = new Map<number, number>();

  constructor(readonly zone: string) {}

  offsetMs(localMs: number): number {
    const hour = Math.floor(localMs / HOUR_MS);
    const hit = this.cache.get(hour);
    if (hit !== undefined) return hit;
    const start = this.exact(hour * HOUR_MS);
    const end = this.exact(hour * HOUR_MS + HOUR_MS - 1);
    if (start !== end) return this.exact(localMs);
    if (this.cache.size >= MAX_CACHED_HOURS) this.cache.clear();
    this.cache.set(hour, start);
    return start;
  }

  private exact(localMs: number): number {
    const utc = DateTime.fromMillis(localMs, { zone: 'UTC' }).setZone(this.zone, { keepLocalTime: true }).toMillis();
    return localMs - utc;
  }
}
