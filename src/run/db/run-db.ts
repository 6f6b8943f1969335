/**
 * The run database: where every run, its log and the feature sets it produced are recorded. Runs and feature
 * sets are plain JSON dicts in MLRun's wire shape, so this layer does not depend on the model classes.
 * Implementations: {@link SqliteRunDB} (embedded, one machine, several processes) and {@link PostgresRunDB}
 * (several machines). Both pass one contract suite (test/contract/run-db.contract.ts).
 */

/** Cancellation for any RunDB call; an already-aborted signal rejects with an `AbortedError` before any I/O. */
export interface SignalOptions {
  signal?: AbortSignal;
}

/** `metadata` of a run dict (MLRun's `RunMetadata` wire form). */
export interface RunMetadataDict {
  uid: string;
  name?: string;
  project?: string;
  labels?: Record<string, string>;
  iteration?: number;
  [key: string]: unknown;
}

/** `status` of a run dict (MLRun's `RunStatus` wire form). */
export interface RunStatusDict {
  state?: string;
  start_time?: string;
  last_update?: string;
  [key: string]: unknown;
}

/** A run in MLRun's dict shape: `{ metadata, spec, status }`. */
export interface RunDict {
  metadata: RunMetadataDict;
  spec?: Record<string, unknown>;
  status?: RunStatusDict;
  [key: string]: unknown;
}

/** Addresses one run record: project defaults to `"default"`, iteration to 0 (the parent). */
export interface RunKeyOptions extends SignalOptions {
  project?: string;
  iteration?: number;
}

/**
 * Filter for {@link RunDB.listRuns}. Without `iteration` or `uid` only parents (iteration 0) are listed.
 * `project` undefined or `"*"` lists every project. `name` matches exactly, or `"~text"` matches names containing
 * `text` case-insensitively (MLRun's convention). Every label given must match exactly.
 */
export interface RunFilter extends SignalOptions {
  project?: string;
  name?: string;
  state?: string | readonly string[];
  labels?: Record<string, string>;
  /** The run with this uid: the parent and all its child iterations. */
  uid?: string;
  iteration?: number;
  /** At most this many runs (a positive integer). */
  limit?: number;
  /** Keyset paging: only runs after this one in the list order (`runCursor(lastRunOfPreviousPage)`). */
  after?: RunCursor;
}

/**
 * A position in the list order of {@link RunDB.listRuns} (start time newest first, runs without one last, then
 * `last_update` newest first, uid, iteration). Built from a listed run by `runCursor()`.
 */
export interface RunCursor {
  startMs: number | null;
  updatedMs: number;
  uid: string;
  iteration: number;
}

/** Options of {@link RunDB.storeLog}. */
export interface StoreLogOptions extends SignalOptions {
  project?: string;
  /** Append to the log (default) or replace it. */
  append?: boolean;
}

/** Options of {@link RunDB.getLog}. */
export interface GetLogOptions extends SignalOptions {
  project?: string;
  /** Byte offset into the UTF-8 log; one that falls inside a character moves forward to the next one. */
  offset?: number;
}

/** A slice of a log: the text from the asked offset to the end, and the offset to ask for next time. */
export interface LogSlice {
  text: string;
  offset: number;
}

/** Options of the feature-set getters: project defaults to `"default"`, tag to `"latest"`. */
export interface FeatureSetKeyOptions extends SignalOptions {
  project?: string;
  tag?: string;
}

/** Filter for {@link RunDB.listFeatureSets}: `project` undefined or `"*"` lists every project. */
export interface FeatureSetFilter extends SignalOptions {
  project?: string;
  tag?: string;
}

/** Options of {@link RunDB.heartbeat}: project defaults to `"default"`. */
export interface HeartbeatOptions extends SignalOptions {
  project?: string;
}

/** What {@link RunDB.heartbeat} tells the running process. */
export interface HeartbeatReply {
  /** Someone asked the run db to abort this run ({@link RunDB.abortRun}); the process should abort it. */
  abortRequested: boolean;
}

/** Options of {@link RunDB.abortRun}: project defaults to `"default"`. */
export interface AbortRunOptions extends SignalOptions {
  project?: string;
}

/** Filter for {@link RunDB.expireRuns}: `project` undefined or `"*"` looks at every project. */
export interface ExpireFilter extends SignalOptions {
  project?: string;
}

/** Who holds a lease lock and until when (see {@link RunDB.readLock}). */
export interface LockInfo {
  holder: string;
  expiresAt: Date;
}

/** Filter for {@link RunDB.listSchedules}: `project` undefined or `"*"` lists every project. */
export interface ScheduleFilter extends SignalOptions {
  project?: string;
}

/** Addresses one schedule: project defaults to `"default"`. */
export interface ScheduleKeyOptions extends SignalOptions {
  project?: string;
}

/**
 * The run database interface. Every method takes `{ signal }`; `close()` releases connections and every
 * later call rejects.
 *
 * @example
 * const db = await openRunDB();
 * await db.storeRun({ metadata: { uid, name: 'ingest', project: 'p' }, status: { state: 'running' } });
 * await db.updateRun(uid, { status: { state: 'completed' } }, { project: 'p' });
 * await db.close();
 */
export interface RunDB {
  /** Inserts or replaces the run keyed by project + uid + iteration; sets `status.last_update`. */
  storeRun(run: RunDict, opts?: SignalOptions): Promise<void>;
  /**
   * Deep-merges `patch` into the stored run (objects merge, arrays and scalars replace; a top-level key with dots,
   * `'status.state'`, is a path as in MLRun). Throws `NotFoundError` naming uid and project when there is no run.
   */
  updateRun(uid: string, patch: Record<string, unknown>, opts?: RunKeyOptions): Promise<void>;
  /** The run, or undefined. */
  readRun(uid: string, opts?: RunKeyOptions): Promise<RunDict | undefined>;
  /** Runs newest `status.start_time` first (runs without one last). */
  listRuns(filter?: RunFilter): Promise<RunDict[]>;
  /**
   * The process running `uid` is alive: records a heartbeat at now on every iteration of the run and counts the run
   * as stopped after now + `expiryMs`. Throws `NotFoundError` when there is no such run. `readRun`, `listRuns` and
   * {@link expireRuns} mark a non-terminal run past that point `error` ("the process running it stopped (no
   * heartbeat since <time>)"; one that was `aborting` ends `aborted`). A run that never sent a heartbeat never expires.
   * The reply says whether an abort was requested ({@link abortRun}).
   */
  heartbeat(uid: string, expiryMs: number, opts?: HeartbeatOptions): Promise<HeartbeatReply>;
  /**
   * Asks for run `uid` (every iteration) to be aborted, from any process: records the request, which the running
   * process reads with its next {@link heartbeat}, and marks the run's non-terminal iterations `aborting`; a run
   * that no live process reports on (no heartbeat) is marked `aborted` at once. Returns the state set. Throws
   * `NotFoundError` when there is no such run and a `CONFLICT` error when the run already ended.
   */
  abortRun(uid: string, opts?: AbortRunOptions): Promise<'aborting' | 'aborted'>;
  /** Marks every non-terminal run whose heartbeat expired `error`; returns their uids (each once). */
  expireRuns(filter?: ExpireFilter): Promise<string[]>;
  /** Appends `text` to the run's log, or replaces the log with `append: false`. */
  storeLog(uid: string, text: string, opts?: StoreLogOptions): Promise<void>;
  /** The log from a byte offset; an unknown run has an empty log (`{ text: '', offset: 0 }`). */
  getLog(uid: string, opts?: GetLogOptions): Promise<LogSlice>;
  /** Inserts or replaces a feature set dict keyed by project + name + tag (tag default `"latest"`). */
  storeFeatureSet(dict: Record<string, unknown>, opts?: SignalOptions): Promise<void>;
  /** The feature set, or undefined. */
  getFeatureSet(name: string, opts?: FeatureSetKeyOptions): Promise<Record<string, unknown> | undefined>;
  /** Feature sets ordered by project, name, tag. */
  listFeatureSets(opts?: FeatureSetFilter): Promise<Record<string, unknown>[]>;
  /**
   * A lease lock: acquires `name` when it is free, expired or already held by `holder` (then the expiry is
   * extended to now + ttlMs). Returns whether `holder` holds it now.
   */
  tryLock(name: string, holder: string, ttlMs: number, opts?: SignalOptions): Promise<boolean>;
  /** The holder of `name` and its expiry, or undefined when the lock is free or expired. */
  readLock(name: string, opts?: SignalOptions): Promise<LockInfo | undefined>;
  /** Releases `name` if `holder` holds it; otherwise does nothing. */
  unlock(name: string, holder: string, opts?: SignalOptions): Promise<void>;
  /**
   * Inserts or replaces a schedule dict keyed by project + `name` (project default `"default"`). The dict's shape
   * belongs to src/schedule (`ScheduleRecord`); the db only needs `name` and `project`.
   */
  storeSchedule(dict: Record<string, unknown>, opts?: SignalOptions): Promise<void>;
  /** Schedules ordered by project, name. */
  listSchedules(opts?: ScheduleFilter): Promise<Record<string, unknown>[]>;
  /** Deletes the schedule; returns whether there was one. */
  deleteSchedule(name: string, opts?: ScheduleKeyOptions): Promise<boolean>;
  /** Releases the connection; idempotent. */
  close(): Promise<void>;
}
