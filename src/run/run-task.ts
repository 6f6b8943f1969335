import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { AbortedError, errorMessage } from '../errors.js';
import { newUid } from '../util/ids.js';
import { MIN_SECRET_LENGTH, REDACTED, redact } from '../util/redact.js';
import { systemClock } from '../util/time.js';
import type { Clock } from '../util/time.js';
import type { RunTemplate } from '../model/run-template.js';
import { localFileSystemFor } from '../storage/file-system-resolver.js';
import type { FileSystemResolver } from '../storage/file-system-resolver.js';
import { isAbsolutePath } from '../storage/join-path.js';
import type { RunDB, RunDict } from './db/run-db.js';
import { openRunDB } from './db/open-run-db.js';
import type { Handler } from './execute-handler.js';
import type { RunParams } from './run-context.js';
import type { TypedRun } from './sweep-iterations.js';
import { executeHandler } from './execute-handler.js';
import { generateIterations } from './hyper/generate-iterations.js';
import { RunLog } from './run-log.js';
import { heartbeatSettings, startHeartbeat, type HeartbeatSettings } from './heartbeat.js';
import { RunObject } from './run-object.js';
import { runSweep } from './run-sweep.js';
import { SecretsStore } from './secrets/secrets-store.js';
import type { Notifier } from './notify/notifier.js';
import { defaultNotifiers } from './notify/default-notifiers.js';
import { pushNotifications } from './notify/push-notifications.js';
import { NotificationDelivery } from '../model/run-status.js';

export interface RunOptions {
  /** The run db (default: `openRunDB()`: `SLUICE_DB`, else `.sluice/runs.db` in `cwd`). */
  db?: RunDB;
  /** Run name (default: the task's name, else the handler's function name, else `run`). */
  name?: string;
  project?: string;
  /**
   * Aborts the run: the handler's `ctx.signal` fires; the run ends `aborted`. An abort asked for through the run db
   * (`RunObject.abort()`, `sluice runs abort`, from any process) does the same at the next heartbeat.
   */
  signal?: AbortSignal;
  /** Resolve when the run ends (default true); false resolves once it is recorded as running. */
  wait?: boolean;
  /** Echo log lines to stdout while running (default false). */
  watch?: boolean;
  /** How long an aborted handler may take to return (default 5000 ms). */
  abortGraceMs?: number;
  /**
   * Where artifacts go when the task sets no `artifact_path` / `out_path` (default `<cwd>/.sluice/artifacts`): a
   * local path or a URL such as `s3://bucket/prefix`.
   */
  artifactPath?: string;
  /**
   * The file system of an artifact path (and of `artifact()` reads), given the run's secrets (S3:
   * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `S3_ENDPOINT_URL`). Default: local paths only. The package's
   * main entry passes the built-in connectors' `fileSystemFor` (S3); the core cannot import connectors.
   */
  fileSystemFor?: FileSystemResolver;
  cwd?: string;
  /** Environment for `env` secrets (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  uid?: string;
  /**
   * Notifiers beside the built-in console one, e.g. the webhook connector's. The package's main entry passes the
   * built-in connectors' notifiers; the core cannot import connectors.
   */
  notifiers?: Iterable<Notifier>;
  /** Where notifiers write their lines (default stdout for console notifications). */
  notifyLogger?: (line: string) => void;
  /**
   * Heartbeat of the running process (default: every 10 s, the run counts as stopped after 60 s without one, or
   * `SLUICE_HEARTBEAT_SECONDS` / `SLUICE_HEARTBEAT_EXPIRY_SECONDS` from `env`). A reader marks a run whose
   * heartbeat expired `error`, so a killed process does not leave it `running` forever.
   */
  heartbeat?: Partial<HeartbeatSettings>;
}

/**
 * Runs a task locally (MLRun's `function.run(task)` for a local handler): records the run in the run db,
 * moves it created → running → completed | error | aborted, and returns the {@link RunObject}. A task with
 * hyperparameters or a param file becomes a parent run with one child per parameter set.
 *
 * @example
 * const r = await run(newTask({ name: 'train', params: { lr: 0.1 } }).withHyperParams({ lr: [0.1, 0.01] }, 'max.accuracy'),
 *   async (ctx) => ({ accuracy: 1 - Number(ctx.params.lr) }));
 * await r.output('best_iteration'); // 2
 * bestIteration(r)?.params.lr;  // 0.01, typed by the handler's `RunContext<P>`
 */
export async function run<P extends object = RunParams, R = unknown>(
  task: RunTemplate,
  handler: Handler<P, R>,
  options: RunOptions = {},
): Promise<TypedRun<P, Awaited<R>>> {
  const cwd = options.cwd ?? process.cwd();
  const db = options.db ?? (await openRunDB({ cwd }));
  const clock = options.clock ?? systemClock;
  const beat = heartbeatSettings(options.heartbeat, options.env ?? process.env);
  const r = RunObject.fromDict(task.toDict());
  r.db = db;
  r.metadata.uid = options.uid ?? newUid();
  r.metadata.name = options.name ?? r.metadata.name ?? (handler.name || 'run');
  r.metadata.project = options.project ?? r.metadata.project ?? 'default';
  r.metadata.iteration = 0;
  r.spec.handler ??= handler.name || undefined;
  r.status.state = 'created';
  r.status.startTime = clock();
  r.status.host = hostname();

  const secrets = new SecretsStore({ env: options.env });
  let setupError: string | undefined;
  try {
    for (const s of r.spec.secretSources) secrets.addSource(s.kind, s.source);
  } catch (err) {
    setupError = errorMessage(err);
  }
  const persist = async (x: RunObject) => db.storeRun(storedForm(x, secrets));
  const log = new RunLog({
    db,
    uid: r.uid,
    project: r.project,
    secrets: () => secrets.values(),
    clock,
    echo: options.watch ? (l) => process.stdout.write(l) : undefined,
  });
  await persist(r);
  r.status.state = 'running';
  await persist(r);
  const controller = new AbortController();
  const stopHeartbeat = await startHeartbeat(db, r.uid, r.project, beat, (m) => log.warn(m), () => {
    log.warn('abort requested through the run db (RunObject.abort / sluice runs abort); aborting');
    controller.abort(new AbortedError(`run ${r.uid} (project ${r.project}) was aborted through the run db`));
  });
  if (r.spec.notifications.length > 0) await notify(r, secrets, options, persist); // `when: running` goes out as the run starts
  for (const name of secrets.missingEnv()) log.warn(`secret ${name}: environment variable ${name} is not set; ctx.getSecret('${name}') returns undefined`);
  for (const key of secrets.shortKeys()) {
    log.warn(`secret ${key}: value shorter than ${MIN_SECRET_LENGTH} characters, or literal word: logs and errors hide it only where it stands alone`);
  }

  const relay = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) relay();
  else options.signal?.addEventListener('abort', relay, { once: true });
  const artifactRoot = options.artifactPath ?? join('.sluice', 'artifacts');
  const resolver = options.fileSystemFor ?? localFileSystemFor;
  const fileSystemFor = (path: string) => resolver(path, { secrets });
  const deps = {
    secrets,
    log,
    clock,
    artifactRoot: isAbsolutePath(artifactRoot) ? artifactRoot : resolve(cwd, artifactRoot),
    fileSystemFor,
    signal: controller.signal,
    abortGraceMs: options.abortGraceMs ?? 5000,
    persist,
  };

  const execute = async (): Promise<void> => {
    try {
      if (setupError !== undefined) throw new Error(setupError);
      const hpo = r.spec.hyperParamOptions;
      const paramSets = await generateIterations(r.spec.hyperparams, {
        strategy: r.spec.strategy ?? hpo?.strategy,
        paramFile: r.spec.paramFile ?? hpo?.paramFile,
        maxIterations: hpo?.maxIterations,
        seed: hpo?.seed,
      } as Parameters<typeof generateIterations>[1]);
      if (paramSets.length > 0) {
        await runSweep(r, handler, paramSets, {
          selector: r.spec.selector ?? hpo?.selector,
          stopCondition: hpo?.stopCondition,
          maxErrors: hpo?.maxErrors,
          parallelRuns: hpo?.parallelRuns,
        }, deps);
      } else {
        await executeHandler(r, handler, deps);
      }
    } catch (err) {
      r.status.state = 'error';
      r.status.error = redact(errorMessage(err), secrets.values());
      r.status.lastUpdate = clock();
      log.error(`run failed: ${r.status.error}`);
      await log.flush().catch(() => undefined);
      await persist(r);
    } finally {
      options.signal?.removeEventListener('abort', relay);
      await stopHeartbeat();
    }
    if (r.spec.notifications.length > 0) await notify(r, secrets, options, persist);
  };

  /** The run as returned: bound to its run db, and to the file systems its artifacts are read through. */
  const bound = (dict: RunDict): RunObject => {
    const out = RunObject.fromRecord(dict, db);
    out.fileSystemFor = fileSystemFor;
    return out;
  };
  const done = execute();
  if (options.wait === false) {
    done.catch(() => undefined);
    const started = (await db.readRun(r.uid, { project: r.project })) ?? storedForm(r, secrets);
    return bound(started);
  }
  await done;
  const stored = await db.readRun(r.uid, { project: r.project });
  return bound(stored ?? storedForm(r, secrets));
}

/**
 * Sends the run's due notifications and records each delivery (`status.notifications`). A failed delivery is
 * recorded, never thrown: the run's own state stands.
 */
async function notify(r: RunObject, secrets: SecretsStore, options: RunOptions, persist: (x: RunObject) => Promise<void>): Promise<void> {
  const deliveries = await pushNotifications(storedForm(r, secrets), r.spec.notifications, defaultNotifiers(options.notifiers ?? []), {
    secrets,
    logger: options.notifyLogger,
  });
  if (Object.keys(deliveries).length === 0) return;
  r.status.notifications = {
    ...(r.status.notifications ?? {}),
    ...Object.fromEntries(Object.entries(deliveries).map(([name, d]) => [name, NotificationDelivery.fromDict(d)])),
  };
  await persist(r);
}

/**
 * The form a run is stored in: the run's dict as it is (it is parsed again, so nothing in it is rewritten), with
 * secret sources recorded without their values and notification `secret_params` masked. Secret values are kept
 * out of the record where they could enter it: `status.error` and result strings are redacted when they are set
 * (see `executeHandler`); parameters are the user's own and stored as given.
 */
export function storedForm(r: RunObject, secrets: SecretsStore): RunDict {
  const d = r.toDict() as RunDict;
  const spec = d.spec as Record<string, unknown> | undefined;
  if (spec) {
    const serial = secrets.toSerial();
    if (serial.length > 0) spec.secret_sources = serial;
    else delete spec.secret_sources;
    if (Array.isArray(spec.notifications)) {
      spec.notifications = (spec.notifications as Array<Record<string, unknown>>).map((n) =>
        n.secret_params ? { ...n, secret_params: Object.fromEntries(Object.keys(n.secret_params as object).map((k) => [k, REDACTED])) } : n,
      );
    }
  }
  return d;
}
