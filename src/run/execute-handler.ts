import { SpecError, errorMessage } from '../errors.js';
import { redact, redactDeep } from '../util/redact.js';
import type { Clock } from '../util/time.js';
import type { LogHint } from '../model/run-spec.js';
import type { ArtifactRecord } from '../model/run-status.js';
import type { FileSystem } from '../storage/file-system.js';
import { isAbsolutePath, joinPath } from '../storage/join-path.js';
import { artifactPaths, readArtifactRecord } from './artifact-record.js';
import type { RunObject } from './run-object.js';
import type { RunContext, RunOutputs, RunParams } from './run-context.js';
import { checkResult } from './run-context.js';
import { writeArtifact } from './write-artifact.js';
import type { RunLog } from './run-log.js';
import type { SecretsStore } from './secrets/secrets-store.js';

/**
 * A task handler: receives the run context, returns results (a map of result values) or nothing. `P` types
 * `ctx.params`, `R` what it returns (see `bestIteration`).
 */
export type Handler<P extends object = RunParams, R = unknown> = (ctx: RunContext<P>) => R;

/** Any handler, whatever its params' type: the runner passes the task's params unchecked (the caller typed them). */
export type AnyHandler = Handler<never>;

export interface ExecuteDeps {
  secrets: SecretsStore;
  log: RunLog;
  clock: Clock;
  /** Where artifacts go when the task sets no `output_path` (artifact_path / out_path): a local path or a URL. */
  artifactRoot: string;
  /** The file system of an artifact path (local, or `s3://` through the injected resolver), with the run's secrets. */
  fileSystemFor: (path: string) => Promise<FileSystem>;
  signal: AbortSignal;
  /** How long an aborted handler may take to return before the run is marked aborted anyway. */
  abortGraceMs: number;
  /** Stores the run (redacted); called on every state change. */
  persist: (r: RunObject) => Promise<void>;
}

function hintKey(hint: LogHint): { key: string; type?: string } {
  if (typeof hint === 'string') {
    const [key, type] = hint.split(':').map((s) => s.trim());
    return { key: key ?? hint, type: type || undefined };
  }
  const t = hint.artifact_type;
  return { key: hint.key, type: typeof t === 'string' ? t : undefined };
}

/**
 * Turns a handler's return value into results and artifacts. With `returns` log hints, values map to the hints
 * by position (`"key"` or `"key : result"` → a result; another type, or bytes → an artifact). Without hints, a
 * plain object's entries become results (Sluice's rule: `return { accuracy }` logs `accuracy`), any other value
 * the result `return`.
 */
async function applyReturns(value: unknown, returns: LogHint[], ctx: RunContext): Promise<void> {
  if (value === undefined) return;
  const put = async (key: string, v: unknown, type?: string) => {
    if (v instanceof Uint8Array || (type !== undefined && type !== 'result')) {
      await ctx.logArtifact(key, { body: v, kind: type ?? 'file' });
    } else {
      ctx.logResult(key, v);
    }
  };
  if (returns.length > 0) {
    const values = returns.length === 1 ? [value] : Array.isArray(value) ? value : [value];
    if (values.length !== returns.length) {
      throw new SpecError(`returns lists ${returns.length} log hints but the handler returned ${values.length} values; return one value per hint`);
    }
    for (const [i, hint] of returns.entries()) {
      const { key, type } = hintKey(hint);
      await put(key, values[i], type);
    }
    return;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) await put(k, v);
  } else {
    await put('return', value);
  }
}

/**
 * Runs one handler for one run record (a plain run or one sweep child): running → completed | error | aborted,
 * persisting each state. Never throws for a handler failure: the failure is the run's state and error.
 */
export async function executeHandler(r: RunObject, handler: AnyHandler, deps: ExecuteDeps): Promise<RunOutputs> {
  const { log, secrets, clock, signal } = deps;
  const outputs: RunOutputs = { results: {}, artifacts: [] };
  const iteration = r.metadata.iteration ?? 0;
  const artifactPath = r.spec.outputPath ?? deps.artifactRoot;
  let fs: Promise<FileSystem> | undefined; // opened on the first artifact: a run that logs none needs no connector
  const owner = { uid: r.uid, name: r.metadata.name ?? '', project: r.project, iteration };
  const ctx: RunContext = {
    uid: r.uid,
    name: r.metadata.name ?? '',
    project: r.project,
    iteration,
    params: Object.freeze({ ...(r.spec.parameters ?? {}) }),
    inputs: Object.freeze(resolveInputs(r)),
    artifactPath,
    signal,
    logger: log,
    getSecret: (key) => secrets.get(key),
    logResult: (key, value) => {
      outputs.results[key] = checkResult(key, value);
    },
    logResults: (results) => {
      for (const [k, v] of Object.entries(results)) outputs.results[k] = checkResult(k, v);
    },
    logArtifact: async (key, input) => {
      fs ??= deps.fileSystemFor(artifactPath);
      const files = await fs;
      const rec: ArtifactRecord = await writeArtifact(files, files.join(artifactPath, r.uid, String(iteration)), key, input, owner);
      outputs.artifacts = [...outputs.artifacts.filter((a) => readArtifactRecord(a)?.key !== key), rec];
      return rec;
    },
  };

  r.status.state = 'running';
  r.status.startTime ??= clock();
  await deps.persist(r);

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => {
      r.status.state = 'aborting';
      void deps.persist(r).catch(() => undefined);
      setTimeout(() => resolve('aborted'), deps.abortGraceMs).unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });

  try {
    const work = (async () => {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      const value = await handler(ctx as RunContext<never>);
      await applyReturns(value, r.spec.returns, ctx);
      return 'done' as const;
    })();
    const outcome = await Promise.race([work, aborted]);
    if (outcome === 'aborted' || signal.aborted) throw signal.reason ?? new Error('aborted');
    r.status.state = 'completed';
  } catch (err) {
    if (signal.aborted) {
      r.status.state = 'aborted';
      r.status.error = 'Run was aborted';
      log.warn('run aborted');
    } else {
      r.status.state = 'error';
      r.status.error = redact(errorMessage(err), secrets.values());
      log.error(`run failed: ${r.status.error}`);
    }
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  r.status.results = redactDeep(outputs.results, secrets.values());
  r.status.artifacts = outputs.artifacts;
  r.status.artifactUris = artifactPaths(outputs.artifacts);
  r.status.lastUpdate = clock();
  await log.flush();
  await deps.persist(r);
  return outputs;
}

/**
 * Input key → path, with `spec.input_path` (MLRun's in_path) as the prefix of relative paths, joined as its file
 * system joins (`s3://bucket/in` + `x.csv` → `s3://bucket/in/x.csv`).
 */
function resolveInputs(r: RunObject): Record<string, string> {
  const base = r.spec.inputPath;
  const out: Record<string, string> = {};
  for (const [k, p] of Object.entries(r.spec.inputs)) out[k] = base && !isAbsolutePath(p) ? joinPath(base, p) : p;
  return out;
}
