import { SpecError } from '../../errors.js';
import { parseTime } from '../../util/time.js';
import type { RunCursor, RunDict } from './run-db.js';

/** The keyset cursor of a run returned by `listRuns`: pass it as `after` to get the runs that follow it. */
export function runCursor(run: RunDict): RunCursor {
  const st = run.status ?? {};
  const uid = run.metadata.uid;
  if (st.last_update === undefined) throw new SpecError(`runCursor: run ${uid} has no status.last_update; pass a run returned by listRuns()`);
  return {
    startMs: st.start_time === undefined || st.start_time === null ? null : parseTime(st.start_time, `run ${uid}: status.start_time`).getTime(),
    updatedMs: parseTime(st.last_update, `run ${uid}: status.last_update`).getTime(),
    uid,
    iteration: run.metadata.iteration ?? 0,
  };
}

/** Checks a cursor that came from outside (a URL, JSON). */
export function checkRunCursor(c: unknown): RunCursor {
  const o = c as Partial<RunCursor> | null;
  const ok =
    typeof o === 'object' && o !== null &&
    (o.startMs === null || Number.isSafeInteger(o.startMs)) &&
    Number.isSafeInteger(o.updatedMs) && typeof o.uid === 'string' && Number.isSafeInteger(o.iteration);
  if (!ok) throw new SpecError(`listRuns: after ${JSON.stringify(c)?.slice(0, 200)} is not a run cursor; expected { startMs, updatedMs, uid, iteration } from runCursor()`);
  return o as RunCursor;
}

/**
 * The WHERE clause selecting the runs after `c` in the list order; `p` binds a parameter and returns its
 * placeholder. Written as ranges on the sort columns so an index on them serves every page in the same time.
 */
export function afterCursorSql(c: RunCursor, p: (v: unknown) => string): string {
  // Parameters are bound in the order written (SQLite's `?` is positional).
  const rest = (): string =>
    `(updated_ms < ${p(c.updatedMs)} OR (updated_ms = ${p(c.updatedMs)} AND (uid > ${p(c.uid)} OR (uid = ${p(c.uid)} AND iteration > ${p(c.iteration)}))))`;
  if (c.startMs === null) return `(start_ms IS NULL AND ${rest()})`;
  const lt = `start_ms < ${p(c.startMs)}`;
  const eq = `start_ms = ${p(c.startMs)}`;
  return `(start_ms IS NULL OR ${lt} OR (${eq} AND ${rest()}))`;
}
