/**
 * Shared rules of the RunDB implementations: key defaults and validation, the indexed columns of a run, deep
 * merge for `updateRun`, UTF-8 log offsets and URL redaction. Pure functions, no I/O.
 */
import { AbortedError, NotFoundError, SluiceError, SpecError } from '../../errors.js';
import { formatTime, parseTime } from '../../util/time.js';
import { TERMINAL_STATES } from '../../model/run-states.js';
import { afterCursorSql, checkRunCursor } from './run-cursor.js';
import type { RunDict, RunFilter, RunKeyOptions } from './run-db.js';

/** Project used when none is given. */
export const DEFAULT_PROJECT = 'default';
/** Feature-set tag used when none is given. */
export const DEFAULT_TAG = 'latest';

/** Rejects with an `AbortedError` when the signal has fired. */
export function checkSignal(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortedError(`${what}: aborted before it started`, { cause: signal.reason });
}

/** A `SluiceError` for any call on a closed db. */
export function closedError(kind: string, what: string): SluiceError {
  return new SluiceError('IO', `${kind}: ${what} called after close(); open a new run db with openRunDB()`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new SpecError(`${what}: ${JSON.stringify(value)} is not a valid value; expected a non-empty string`);
  }
  return value;
}

function checkIteration(value: unknown, what: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SpecError(`${what}: ${JSON.stringify(value)} is not a valid iteration; expected an integer >= 0`);
  }
  return value;
}

/** The key of a run record, with defaults applied and checked. */
export interface RunKey {
  uid: string;
  project: string;
  iteration: number;
}

/** Resolves and checks `uid` + `{ project, iteration }`. */
export function runKey(uid: unknown, opts: RunKeyOptions = {}): RunKey {
  return {
    uid: checkName(uid, 'run uid'),
    project: opts.project === undefined ? DEFAULT_PROJECT : checkName(opts.project, 'run project'),
    iteration: checkIteration(opts.iteration, 'run iteration'),
  };
}

/** A run ready to store: its key, the indexed columns and the normalised body. */
export interface RunRow extends RunKey {
  name: string | null;
  state: string | null;
  /** `status.start_time` as epoch ms, the sort key. */
  startMs: number | null;
  labels: Record<string, string>;
  updatedMs: number;
  body: RunDict;
}

/**
 * Checks a run dict and derives its row. The body is a copy with `metadata.project`, `metadata.iteration` and
 * `status.last_update` (from `now`) filled in; the caller's dict is not changed.
 */
export function runRow(run: unknown, now: Date): RunRow {
  if (!isPlainObject(run) || !isPlainObject(run.metadata)) {
    throw new SpecError(`run: expected a dict with a "metadata" dict (MLRun's run shape), got ${JSON.stringify(run)?.slice(0, 200)}`);
  }
  const body = structuredClone(run) as RunDict;
  const md = body.metadata;
  const uid = checkName(md.uid, 'run metadata.uid');
  const project = md.project === undefined || md.project === null ? DEFAULT_PROJECT : checkName(md.project, `run ${uid}: metadata.project`);
  const iteration = checkIteration(md.iteration, `run ${uid}: metadata.iteration`);
  if (md.name !== undefined && md.name !== null && typeof md.name !== 'string') {
    throw new SpecError(`run ${uid}: metadata.name ${JSON.stringify(md.name)} is not a string`);
  }
  const labels = md.labels ?? {};
  if (!isPlainObject(labels) || Object.values(labels).some((v) => typeof v !== 'string')) {
    throw new SpecError(`run ${uid}: metadata.labels ${JSON.stringify(labels)} is not valid; expected a map of string to string`);
  }
  if (body.status !== undefined && !isPlainObject(body.status)) {
    throw new SpecError(`run ${uid}: status ${JSON.stringify(body.status)} is not a dict`);
  }
  const status = body.status ?? {};
  if (status.state !== undefined && status.state !== null && typeof status.state !== 'string') {
    throw new SpecError(`run ${uid}: status.state ${JSON.stringify(status.state)} is not a string`);
  }
  const start = status.start_time;
  const startMs = start === undefined || start === null ? null : parseTime(start, `run ${uid}: status.start_time`).getTime();
  md.project = project;
  md.iteration = iteration;
  body.status = { ...status, last_update: formatTime(now) };
  return {
    uid,
    project,
    iteration,
    name: md.name ?? null,
    state: status.state ?? null,
    startMs,
    labels: labels as Record<string, string>,
    updatedMs: now.getTime(),
    body,
  };
}

/** Deep merge: plain objects merge key by key, anything else (arrays, scalars, null) replaces; undefined is skipped. */
export function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] = isPlainObject(v) && isPlainObject(cur) ? deepMerge(cur, v) : structuredClone(v);
  }
  return out;
}

/** Turns top-level dotted keys (`'status.state'`) into nested dicts, as MLRun's `update_run` accepts. */
function expandPaths(patch: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    const parts = k.split('.');
    if (parts.some((p) => p === '')) throw new SpecError(`updateRun: patch key "${k}" is not a valid path; expected names joined by dots, such as "status.state"`);
    let nested: unknown = v;
    for (const p of parts.reverse()) nested = { [p]: nested };
    out = deepMerge(out, nested as Record<string, unknown>);
  }
  return out;
}

/**
 * Applies an `updateRun` patch to a stored body and returns the new row. A patch may not move the run to another
 * uid, project or iteration.
 */
export function patchRun(stored: RunDict, key: RunKey, patch: unknown, now: Date): RunRow {
  if (!isPlainObject(patch)) throw new SpecError(`updateRun ${key.uid}: patch ${JSON.stringify(patch)} is not a dict; expected e.g. { status: { state: 'completed' } }`);
  const merged = deepMerge(stored, expandPaths(patch)) as unknown as RunDict;
  const row = runRow(merged, now);
  for (const k of ['uid', 'project', 'iteration'] as const) {
    if (row[k] !== key[k]) {
      throw new SpecError(`updateRun ${key.uid}: patch changes metadata.${k} from ${JSON.stringify(key[k])} to ${JSON.stringify(row[k])}; store a new run instead`);
    }
  }
  return row;
}

/** A feature set ready to store: its key and the body with project and tag filled in. */
export interface FeatureSetRow {
  project: string;
  name: string;
  tag: string;
  updatedMs: number;
  body: Record<string, unknown>;
}

/** Checks a feature-set dict (`{ kind, metadata: { name, project, tag }, spec, status }`) and derives its row. */
export function featureSetRow(dict: unknown, now: Date): FeatureSetRow {
  if (!isPlainObject(dict) || !isPlainObject(dict.metadata)) {
    throw new SpecError(`feature set: expected a dict with a "metadata" dict, got ${JSON.stringify(dict)?.slice(0, 200)}`);
  }
  const body = structuredClone(dict);
  const md = body.metadata as Record<string, unknown>;
  const name = checkName(md.name, 'feature set metadata.name');
  const project = md.project === undefined || md.project === null ? DEFAULT_PROJECT : checkName(md.project, `feature set ${name}: metadata.project`);
  const tag = md.tag === undefined || md.tag === null ? DEFAULT_TAG : checkName(md.tag, `feature set ${name}: metadata.tag`);
  md.project = project;
  md.tag = tag;
  return { project, name, tag, updatedMs: now.getTime(), body };
}

/** Checks a list limit. */
export function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit <= 0) {
    throw new SpecError(`listRuns: limit ${JSON.stringify(limit)} is not valid; expected a positive integer`);
  }
  return limit;
}

/** Checks the arguments of `tryLock` / `unlock`. */
export function checkLockArgs(name: unknown, holder: unknown, ttlMs?: unknown): void {
  checkName(name, 'lock name');
  checkName(holder, `lock ${String(name)}: holder`);
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)) {
    throw new SpecError(`lock ${String(name)}: ttlMs ${JSON.stringify(ttlMs)} is not valid; expected a positive number of milliseconds`);
  }
}

/** States a run never leaves (as `TERMINAL_STATES` of src/model/run-states.ts); only other runs expire. */
export const TERMINAL_RUN_STATES: readonly string[] = TERMINAL_STATES;

/** Checks a heartbeat expiry. */
export function checkExpiry(uid: unknown, expiryMs: unknown): number {
  if (typeof expiryMs !== 'number' || !Number.isFinite(expiryMs) || expiryMs <= 0) {
    throw new SpecError(`heartbeat of run ${String(uid)}: expiryMs ${JSON.stringify(expiryMs)} is not valid; expected a positive number of milliseconds`);
  }
  return Math.ceil(expiryMs);
}

/**
 * The patch that marks a run whose process stopped sending heartbeats (last one at `heartbeatMs`): `error`, or
 * `aborted` when it was `aborting` (an abort was asked for and nobody is left to finish it).
 */
export function stoppedPatch(heartbeatMs: number, state?: unknown): Record<string, unknown> {
  const stopped = `the process running it stopped (no heartbeat since ${formatTime(new Date(heartbeatMs))})`;
  if (state === 'aborting') return { status: { state: 'aborted', error: `Run was aborted; ${stopped}` } };
  return { status: { state: 'error', error: stopped } };
}

/** One stored iteration of a run, as {@link abortRows} reads it. */
export interface AbortCandidate {
  iteration: number;
  body: RunDict;
  heartbeat_ms: number | string | null;
}

/**
 * The rows to write for `abortRun` over every stored iteration of one run (already expired where stale): the
 * non-terminal iterations become `aborting` when the run has a live heartbeat, else `aborted`. Throws when there
 * is no run or its parent (lowest iteration) already ended.
 */
export function abortRows(key: { uid: string; project: string }, found: AbortCandidate[], now: Date): { state: 'aborting' | 'aborted'; rows: RunRow[] } {
  const parent = [...found].sort((a, b) => a.iteration - b.iteration)[0];
  if (!parent) throw new NotFoundError(`abortRun: run ${key.uid} (project ${key.project}) is not in the run db; list runs with: sluice runs list`);
  const parentState = parent.body.status?.state;
  if (TERMINAL_RUN_STATES.includes(String(parentState))) {
    throw new SluiceError('CONFLICT', `abortRun: run ${key.uid} (project ${key.project}) already ended ${String(parentState)}; there is nothing to abort`);
  }
  const live = found.some((r) => r.heartbeat_ms !== null && !TERMINAL_RUN_STATES.includes(String(r.body.status?.state)));
  const state = live ? 'aborting' : 'aborted';
  const patch = { status: live ? { state } : { state, error: 'Run was aborted' } };
  const rows = found
    .filter((r) => !TERMINAL_RUN_STATES.includes(String(r.body.status?.state)))
    .map((r) => patchRun(r.body, { ...key, iteration: r.iteration }, patch, now));
  return { state, rows };
}

/** Checks a log byte offset. */
export function checkOffset(offset: unknown): number {
  if (offset === undefined) return 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new SpecError(`getLog: offset ${JSON.stringify(offset)} is not valid; expected a byte offset (an integer >= 0)`);
  }
  return offset;
}

/** The first character boundary at or after `i` in UTF-8 bytes (skips continuation bytes 10xxxxxx). */
export function utf8Boundary(buf: Uint8Array, i: number): number {
  let j = i;
  while (j < buf.length && ((buf[j] ?? 0) & 0xc0) === 0x80) j += 1;
  return j;
}

/** How one SQL dialect spells the pieces of a run filter. */
export interface FilterDialect {
  /** The placeholder of the n-th (1-based) parameter. */
  param(n: number): string;
  /** `name` contains the parameter, case-insensitively. */
  contains(param: string): string;
  /** `labels` has key = value (parameters in that order). */
  label(keyParam: string, valueParam: string): string;
}

/** A run filter as a WHERE clause with bound parameters and a checked limit. */
export function runFilterSql(filter: RunFilter, d: FilterDialect): { where: string; params: unknown[]; limit: number | undefined } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => (params.push(v), d.param(params.length));
  const limit = checkLimit(filter.limit);
  if (filter.project !== undefined && filter.project !== '*') clauses.push(`project = ${p(filter.project)}`);
  if (filter.uid !== undefined) clauses.push(`uid = ${p(filter.uid)}`);
  if (filter.iteration !== undefined) clauses.push(`iteration = ${p(checkIteration(filter.iteration, 'listRuns: iteration'))}`);
  else if (filter.uid === undefined) clauses.push('iteration = 0');
  if (filter.name !== undefined) {
    clauses.push(filter.name.startsWith('~') ? d.contains(p(filter.name.slice(1))) : `name = ${p(filter.name)}`);
  }
  if (filter.state !== undefined) {
    const states = typeof filter.state === 'string' ? [filter.state] : [...filter.state];
    clauses.push(states.length ? `state IN (${states.map((s) => p(s)).join(', ')})` : '1 = 0');
  }
  for (const [k, v] of Object.entries(filter.labels ?? {})) clauses.push(d.label(p(k), p(v)));
  if (filter.after !== undefined) clauses.push(afterCursorSql(checkRunCursor(filter.after), p));
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, limit };
}
