import { SluiceError, TimeoutError } from '../errors.js';
import { fields, T } from '../model/field.js';
import type { ToDictOptions } from '../model/field.js';
import { assignFields, PATH, WIRE } from '../model/model-obj.js';
import { isTerminal } from '../model/run-states.js';
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

export interface WaitOptions {
  /** Seconds between polls of the run db (default 3, as MLRun). */
  sleep?: number;
  /** Seconds to wait at most; 0 waits forever (default). */
  timeout?: number;
  /** Throw when the run ends in error or aborted (default true). */
  raiseOnFailure?: boolean;
  /** Print the logs: at the end, or every `logsInterval` seconds (default: print when `logsInterval` is set). */
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
 * r.state();            // 'completed'
 * r.output('accuracy'); // 0.9
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

  /** The current state (as last read; call `refresh()` to re-read). */
  state(): string {
    return this.status.state;
  }

  /** The error text when the run failed, as MLRun: error, status text, reason, or a default. */
  get error(): string {
    const s = this.status;
    if (s.error) return s.error;
    if (s.statusText && (s.state === 'error' || s.state === 'aborted')) return s.statusText;
    if (s.reason) return s.reason;
    if (s.state === 'aborted') return 'Run was aborted';
    return s.state === 'error' ? 'Unknown error' : '';
  }

  /** Results and artifact paths by key (an artifact record's target path before `artifact_uris`). */
  get outputs(): Record<string, unknown> {
    return { ...(this.status.results ?? {}), ...(this.status.artifactUris ?? {}), ...artifactPaths(this.status.artifacts) };
  }

  /** One result value or artifact path. */
  output(key: string): unknown {
    return this.outputs[key];
  }

  /** The artifact logged under `key` (a record in MLRun's shape, or the flat legacy one), or undefined. */
  artifact(key: string): ArtifactItem | undefined {
    const rec = findArtifact(this.status.artifacts, key);
    if (!rec) return undefined;
    const { path } = rec;
    const get = async () => {
      const bytes = await (await (this.fileSystemFor ?? ((p: string) => localFileSystemFor(p, {})))(path)).read(path);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
    return { key, kind: rec.kind, path, size: rec.size, get, asString: async () => (await get()).toString('utf8') };
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
      if (isTerminal(this.state())) {
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
    return { text, offset, state: this.state() };
  }

  /** Prints a summary of the run on the terminal (MLRun draws a notebook widget). */
  show(write: (text: string) => void = (t) => process.stdout.write(t)): void {
    write(formatRunSummary(this.toDict()));
  }

  /**
   * Polls the run db every `sleep` seconds until the run is in a terminal state. With `raiseOnFailure` (the
   * default) a run that ends in error or aborted throws with its error.
   */
  async waitForCompletion(options: WaitOptions = {}): Promise<string> {
    const sleep = (options.sleep ?? 3) * 1000;
    const timeout = (options.timeout ?? 0) * 1000;
    const showLogs = options.showLogs ?? options.logsInterval !== undefined;
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
      await this.refresh();
      if (isTerminal(this.state())) break;
      if (options.signal?.aborted) throw new SluiceError('ABORTED', `stopped waiting for run ${this.uid}: aborted`);
      if (timeout > 0 && Date.now() - started >= timeout) {
        throw new TimeoutError(`run ${this.uid} is still ${this.state()} after ${options.timeout} s; raise timeout or check it with sluice runs show ${this.uid}`);
      }
      if (showLogs && options.logsInterval !== undefined && Date.now() - lastLogs >= options.logsInterval * 1000) await flushLogs();
      await sleepMs(Math.min(sleep, timeout > 0 ? Math.max(1, timeout - (Date.now() - started)) : sleep), options.signal);
    }
    if (showLogs) await flushLogs();
    const state = this.state();
    if ((options.raiseOnFailure ?? true) && (state === 'error' || state === 'aborted')) {
      throw new SluiceError('RUN_FAILED', `run ${this.uid} ended ${state}: ${this.error}`);
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
