import { SluiceError, TimeoutError } from '../errors.js';
import { fields, T } from '../model/field.js';
import type { ToDictOptions } from '../model/field.js';
import { assignFields, PATH, WIRE } from '../model/model-obj.js';
import { isTerminal } from '../model/run-states.js';
import type { RunState } from '../model/run-states.js';
import { RunStatus } from '../model/run-status.js';
import { RunTemplate } from '../model/run-template.js';
import type { RunTemplateOptions } from '../model/run-template.js';
import type { FileSystem } from '../storage/file-system.js';
import { localFileSystemFor } from '../storage/file-system-resolver.js';
import { artifactPaths, findArtifact } from './artifact-record.js';
import type { RunDB, RunDict } from './db/run-db.js';
import { formatRunSummary } from './run-summary.js';
import { runPageUrl } from './run-page-url.js';

export interface RunObjectOptions extends RunTemplateOptions {
  status?: RunStatus;
}

/** An artifact a run logged: where it is and how to read it (MLRun's DataItem, reduced). */
export interface ArtifactItem {
  key: string;
  kind: string;
  path: string;
  size?: number;
  /** The artifact's bytes. */
  get(): Promise<Buffer>;
  /** The artifact as UTF-8 text. */
  asString(): Promise<string>;
}

/** How `output()` / `artifact()` wait for the run to end (MLRun waits forever; so does the default here). */
export interface OutputWaitOptions {
  /** Seconds to wait at most; 0 waits forever (default: the run's `outputsTimeout`). */
  timeout?: number;
  /** Seconds between polls of the run db (default 3, as MLRun). */
  sleep?: number;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Seconds between polls of the run db (default 3, as MLRun). */
  sleep?: number;
  /** Seconds to wait at most; 0 waits forever (default). */
  timeout?: number;
  /** Throw when the run ends in any state but `completed` (default true, as MLRun: `skipped` throws too). */
  raiseOnFailure?: boolean;
  /** Print the log (default true, as MLRun): once at the end, or every `logsInterval` seconds and the rest at the end. */
  showLogs?: boolean;
  logsInterval?: number;
  /** Where printed logs go (default stdout). */
  write?: (text: string) => void;
  signal?: AbortSignal;
}

export interface LogsOptions {
  /** Keep reading until the run is in a terminal state (default false). */
  watch?: boolean;
  /** Byte offset to start at (default 0). */
  offset?: number;
  /** Where the text goes (default stdout); pass `() => {}` to only collect it. */
  write?: (text: string) => void;
  /** Seconds between polls while watching (default 1). */
  interval?: number;
  signal?: AbortSignal;
}

/** States whose run has an error text (MLRun's `error_and_abortion_states`). */
const ERROR_AND_ABORTION: readonly RunState[] = ['error', 'aborting', 'aborted'];

const sleepMs = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/**
 * A run (MLRun's `RunObject`): a {@link RunTemplate} plus its {@link RunStatus}, bound to the run db it is
 * recorded in so it can `refresh()`, read its `logs()` and `waitForCompletion()`.
 *
 * @example
 * const r = await run(newTask({ name: 'train', params: { lr: 0.1 } }), async (ctx) => ({ accuracy: 0.9 }));
 * await r.state();            // 'completed'
 * await r.output('accuracy'); // 0.9
 */
export class RunObject extends RunTemplate {
  static override readonly fields = fields([
    ...RunTemplate.fields.map((f) => [f.prop, f.key, f.type] as const),
    ['status', 'status', T.model(() => RunStatus)],
  ]);

  declare status: RunStatus;
  /** The run db this run is recorded in (not serialised). */
  db?: RunDB;
  /** The file system `artifact(key).get()` reads a path through (not serialised; default: local paths only). */
  fileSystemFor?: (path: string) => Promise<FileSystem>;
  /**
   * `outputs`, `output()` and `artifact()` first wait for the run to complete (MLRun's
   * `outputs_wait_for_completion`, default true); false answers from the status as last read.
   */
  outputsWaitForCompletion = true;
  /** Seconds `outputs` / `output()` / `artifact()` wait at most; 0 waits forever (default, as MLRun). */
  outputsTimeout = 0;

  constructor(options: RunObjectOptions = {}) {
    const { status, ...rest } = options;
    super(rest);
    this.status = new RunStatus();
    const hidden = options as Record<symbol, unknown>;
    assignFields(this, RunObject, { status, [PATH]: hidden[PATH], [WIRE]: hidden[WIRE] });
  }

  /** Builds a run from its dict and binds it to a run db. */
  static fromRecord(dict: RunDict, db?: RunDB): RunObject {
    const r = RunObject.fromDict(dict);
    r.db = db;
    return r;
  }

  /** The run's unique id. */
  get uid(): string {
    return this.metadata.uid ?? '';
  }

  get project(): string {
    return this.metadata.project ?? 'default';
  }

  /**
   * The current state, as MLRun's `state()`: a terminal state is kept as it is; otherwise the run is re-read from
   * the run db first (a run not bound to a db answers its state as last read). The state as last read, without
   * I/O, is `status.state`.
   */
  async state(): Promise<string> {
    if (isTerminal(this.status.state) || !this.db) return this.status.state || 'unknown';
    await this.refresh();
    return this.status.state || 'unknown';
  }

  /**
   * The error text, as MLRun: for error, aborting and aborted only, `status.error`, else the status text, else the
   * reason, else "Run was aborted" (aborting, aborted) or "Unknown error"; empty for any other state.
   */
  get error(): string {
    const s = this.status;
    if (!(ERROR_AND_ABORTION as readonly string[]).includes(s.state)) return '';
    return s.error || s.statusText || s.reason || (s.state === 'error' ? 'Unknown error' : 'Run was aborted');
  }

  /**
   * Results and artifact paths by key, once the run completed (see {@link outputsWaitForCompletion}): waits up to
   * `outputsTimeout` seconds and throws when the run ends in any state but `completed`, as MLRun.
   */
  get outputs(): Promise<Record<string, unknown>> {
    return this.waitForOutputs({}).then(() => this.outputsNow());
  }

  /** One result value or artifact path, once the run completed (as `outputs`); undefined when there is none. */
  async output(key: string, options: OutputWaitOptions = {}): Promise<unknown> {
    await this.waitForOutputs(options);
    return this.outputsNow()[key];
  }

  /** The artifact logged under `key` (a record in MLRun's shape, or the flat legacy one), once the run completed (as `outputs`); undefined when there is none. */
  async artifact(key: string, options: OutputWaitOptions = {}): Promise<ArtifactItem | undefined> {
    await this.waitForOutputs(options);
    const rec = findArtifact(this.status.artifacts, key);
    if (!rec) return undefined;
    const { path } = rec;
    const get = async () => {
      const bytes = await (await (this.fileSystemFor ?? ((p: string) => localFileSystemFor(p, {})))(path)).read(path);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
    return { key, kind: rec.kind, path, size: rec.size, get, asString: async () => (await get()).toString('utf8') };
  }

  private outputsNow(): Record<string, unknown> {
    return { ...(this.status.results ?? {}), ...(this.status.artifactUris ?? {}), ...artifactPaths(this.status.artifacts) };
  }

  /** MLRun's `_outputs_wait_for_completion`: waits without printing the log, raising when the run did not complete. */
  private async waitForOutputs(options: OutputWaitOptions): Promise<void> {
    if (!this.outputsWaitForCompletion || (!this.db && isTerminal(this.status.state))) {
      if (this.outputsWaitForCompletion && this.status.state !== 'completed') {
        throw new SluiceError('RUN_FAILED', `run ${this.uid} ended ${this.status.state}${this.error ? `: ${this.error}` : ''}`);
      }
      return;
    }
    await this.waitForCompletion({ timeout: options.timeout ?? this.outputsTimeout, sleep: options.sleep, signal: options.signal, showLogs: false });
  }

  /** Where to look at the run: `status.ui_url`, else its `sluice ui` page when SLUICE_UI_URL is set, else a CLI command. */
  get uiUrl(): string {
    return this.status.uiUrl ?? runPageUrl(this.project, this.uid) ?? `sluice runs show ${this.uid} --project ${this.project}`;
  }

  /** Re-reads the run from the run db. */
  async refresh(): Promise<this> {
    const db = this.requireDb('refresh');
    const dict = await db.readRun(this.uid, { project: this.project, iteration: this.metadata.iteration ?? 0 });
    if (!dict) throw new SluiceError('NOT_FOUND', `run ${this.uid} (project ${this.project}) is no longer in the run db`);
    const fresh = RunObject.fromDict(dict);
    this.metadata = fresh.metadata;
    this.spec = fresh.spec;
    this.status = fresh.status;
    return this;
  }

  /**
   * Reads the run's log from `offset`; with `watch`, keeps reading until the run ends. Returns the text read
   * and the offset to continue from.
   */
  async logs(options: LogsOptions = {}): Promise<{ text: string; offset: number; state: string }> {
    const db = this.requireDb('logs');
    const write = options.write ?? ((t: string) => process.stdout.write(t));
    let offset = options.offset ?? 0;
    let text = '';
    for (;;) {
      const slice = await db.getLog(this.uid, { project: this.project, offset });
      if (slice.text) {
        write(slice.text);
        text += slice.text;
      }
      offset = slice.offset;
      if (!options.watch || options.signal?.aborted) break;
      await this.refresh();
      if (isTerminal(this.status.state)) {
        const rest = await db.getLog(this.uid, { project: this.project, offset });
        if (rest.text) {
          write(rest.text);
          text += rest.text;
        }
        offset = rest.offset;
        break;
      }
      await sleepMs((options.interval ?? 1) * 1000, options.signal);
    }
    return { text, offset, state: this.status.state };
  }

  /**
   * Asks for the run to be aborted, from any process (MLRun's `abort()`): the run db records the request and
   * marks the run `aborting`; the process running it sees the request at its next heartbeat, fires the handler's
   * `ctx.signal` and ends the run `aborted`. A run that no live process reports on is marked `aborted` at once.
   * Returns the state the run db set; throws when the run already ended. `waitForCompletion()` waits for the end.
   */
  async abort(options: { signal?: AbortSignal } = {}): Promise<'aborting' | 'aborted'> {
    const db = this.requireDb('abort');
    const state = await db.abortRun(this.uid, { project: this.project, signal: options.signal });
    await this.refresh();
    return state;
  }

  /** Prints a summary of the run on the terminal (MLRun draws a notebook widget). */
  show(write: (text: string) => void = (t) => process.stdout.write(t)): void {
    write(formatRunSummary(this.toDict()));
  }

  /**
   * Polls the run db every `sleep` seconds until the run is in a terminal state, as MLRun's
   * `wait_for_completion`: prints the log once at the end (or every `logsInterval` seconds) unless `showLogs` is
   * false, and with `raiseOnFailure` (the default) throws when the run ends in any state but `completed`.
   */
  async waitForCompletion(options: WaitOptions = {}): Promise<string> {
    const sleep = (options.sleep ?? 3) * 1000;
    const timeout = (options.timeout ?? 0) * 1000;
    const showLogs = options.showLogs ?? true;
    const write = options.write ?? ((t: string) => process.stdout.write(t));
    const started = Date.now();
    let logOffset = 0;
    let lastLogs = Date.now();
    const flushLogs = async () => {
      const r = await this.logs({ offset: logOffset, write });
      logOffset = r.offset;
      lastLogs = Date.now();
    };
    for (;;) {
      if (isTerminal(await this.state())) break;
      if (options.signal?.aborted) throw new SluiceError('ABORTED', `stopped waiting for run ${this.uid}: aborted`);
      if (timeout > 0 && Date.now() - started >= timeout) {
        throw new TimeoutError(`run ${this.uid} is still ${this.status.state} after ${options.timeout} s; raise timeout or check it with sluice runs show ${this.uid}`);
      }
      if (showLogs && options.logsInterval !== undefined && Date.now() - lastLogs >= options.logsInterval * 1000) await flushLogs();
      await sleepMs(Math.min(sleep, timeout > 0 ? Math.max(1, timeout - (Date.now() - started)) : sleep), options.signal);
    }
    if (showLogs) await flushLogs();
    const state = this.status.state;
    if ((options.raiseOnFailure ?? true) && state !== 'completed') {
      throw new SluiceError('RUN_FAILED', `run ${this.uid} ended ${state}${this.error ? `: ${this.error}` : ''}`);
    }
    return state;
  }

  /** The run as a JSON-ready dict; `exclude` drops top-level keys (`['spec']`, ...). */
  override toJSON(options?: ToDictOptions | string): Record<string, unknown> {
    return super.toJSON(options);
  }

  private requireDb(what: string): RunDB {
    if (!this.db) throw new SluiceError('SPEC_INVALID', `RunObject.${what}: this run is not bound to a run db; build it with RunObject.fromRecord(dict, db)`);
    return this.db;
  }
}
