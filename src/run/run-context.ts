import { SpecError } from '../errors.js';
import type { ArtifactRecord } from '../model/run-status.js';

/** Lines a handler logs; they become the run's log (secret values replaced by `***`). */
export interface RunLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What `logArtifact` takes: a body to write, or a local file to copy. */
export interface ArtifactInput {
  /** Text, bytes, or a JSON value (written as JSON). */
  body?: string | Uint8Array | unknown;
  /** A local file to copy into the artifact path. */
  localPath?: string;
  /** File extension / format, e.g. `csv`, `json`, `txt` (default from localPath, else json or txt). */
  format?: string;
  /**
   * MLRun's artifact kind: `artifact` (the default, a plain file), `dataset`, `table`, `model`, `plot`, `plotly`,
   * `dir` or `link`. `file` and any kind MLRun does not know are recorded as `artifact`.
   */
  kind?: string;
  labels?: Record<string, string>;
}

/** A run's parameters: the task's `params` merged with one hyperparameter set. */
export type RunParams = Record<string, unknown>;

/**
 * The context a handler receives (MLRun's `MLClientCtx`, reduced): parameters, inputs, secrets, result and
 * artifact logging, a logger, and the run's abort signal. `P` types `params`; it is what the caller declares,
 * not checked at run time (the task's params and hyperparameters must hold those types).
 *
 * @example
 * await run(task, async (ctx: RunContext<{ threshold: number }>) => ({ accuracy: score(ctx.params.threshold) }));
 */
export interface RunContext<P extends object = RunParams> {
  readonly uid: string;
  readonly name: string;
  readonly project: string;
  /** 0 for a plain run or a sweep's parent; the child's number (from 1) in a hyperparameter sweep. */
  readonly iteration: number;
  readonly params: Readonly<P>;
  /** Input key → path or URL. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly artifactPath: string;
  /** Aborts when the run is aborted; long handlers should pass it on or check it. */
  readonly signal: AbortSignal;
  readonly logger: RunLogger;
  /** A secret from the run's secret sources, or undefined. */
  getSecret(key: string): string | undefined;
  logResult(key: string, value: unknown): void;
  logResults(results: Record<string, unknown>): void;
  logArtifact(key: string, input: ArtifactInput): Promise<ArtifactRecord>;
}

/** Results and artifacts collected while a handler runs. */
export interface RunOutputs {
  results: Record<string, unknown>;
  artifacts: ArtifactRecord[];
}

/** Checks a result value: JSON-serialisable scalars, lists and maps. */
export function checkResult(key: string, value: unknown): unknown {
  if (value === undefined) throw new SpecError(`logResult("${key}"): the value is undefined; log a number, string, boolean, null, list or map`);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new SpecError(`logResult("${key}"): a ${typeof value} is not a result; log a number, string, boolean, null, list or map`);
  }
  return JSON.parse(JSON.stringify(value)) as unknown;
}
