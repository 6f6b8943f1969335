import { SpecError } from '../errors.js';
import { parseTime } from '../util/time.js';

/** The time window of one scheduled run: `start < t <= end`; no `start` reads everything up to `end`. */
export interface IncrementalWindow {
  start?: Date;
  end: Date;
  /** The watermark the window was derived from (before lookback), if any. */
  watermark?: Date;
}

/** Settings of {@link incrementalWindow}. */
export interface IncrementalWindowOptions {
  now: Date;
  /** The smallest `last_written` over the feature set's targets ({@link featureSetWatermark}). */
  watermark?: Date;
  /** Rows younger than this many seconds are left for the next run (default 0). */
  allowedLatenessSeconds?: number;
  /** Re-read this many seconds before the watermark, for late rows (default 0). */
  lookbackSeconds?: number;
}

/**
 * The window of a scheduled run (SPEC §8): `(watermark - lookback, now - allowed_lateness]`. The end never
 * passes `now`. Without a watermark (nothing written yet) there is no start: the run reads everything.
 */
export function incrementalWindow(o: IncrementalWindowOptions): IncrementalWindow {
  const lateness = checkSeconds(o.allowedLatenessSeconds, 'allowed_lateness_seconds');
  const lookback = checkSeconds(o.lookbackSeconds, 'lookback_seconds');
  const nowMs = o.now.getTime();
  const end = new Date(Math.min(nowMs - lateness * 1000, nowMs));
  if (!o.watermark) return { end };
  return { start: new Date(o.watermark.getTime() - lookback * 1000), end, watermark: o.watermark };
}

/** Checks a number of seconds (>= 0); undefined is 0. The error names the key and the value. */
export function checkSeconds(v: unknown, key: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new SpecError(`${key}: ${JSON.stringify(v)} is not valid; expected a number of seconds >= 0`);
  }
  return n;
}

/**
 * The watermark of a feature set: the smallest `last_written` over its status targets that have one (MLRun's
 * rule), or undefined when no target has written yet. Takes the status in its dict form (`{ targets: [...] }`).
 */
export function featureSetWatermark(status: unknown): Date | undefined {
  const targets = (status as { targets?: unknown } | undefined)?.targets;
  if (!Array.isArray(targets)) return undefined;
  let min: Date | undefined;
  for (const t of targets as Array<{ name?: unknown; last_written?: unknown }>) {
    if (t?.last_written === undefined || t.last_written === null) continue;
    const d = parseTime(t.last_written, `feature set status target ${String(t.name)}: last_written`);
    if (!min || d < min) min = d;
  }
  return min;
}
