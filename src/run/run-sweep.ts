import type { ArtifactRecord } from '../model/run-status.js';
import { artifactPaths } from './artifact-record.js';
import { RunObject } from './run-object.js';
import { writeArtifact } from './write-artifact.js';
import type { AnyHandler, ExecuteDeps } from './execute-handler.js';
import { executeHandler } from './execute-handler.js';
import type { ParamSet } from './hyper/hyperparams.js';
import { selectBest } from './hyper/selector.js';
import type { ChildOutcome } from './hyper/selector.js';
import { shouldStop } from './hyper/stop-condition.js';
import { DEFAULT_MAX_ERRORS } from './hyper/hyper-options.js';

export interface SweepSettings {
  selector?: string;
  stopCondition?: string;
  maxErrors?: number;
  parallelRuns?: number;
}

interface ChildRow extends ChildOutcome {
  params: ParamSet;
}

/**
 * Runs a hyperparameter sweep under `parent`: one child run per parameter set (iterations from 1, sharing the
 * parent's uid), at most `parallelRuns` at once. Launching stops when `stopCondition` holds for a finished child
 * or when failures exceed `maxErrors` (default 3). The parent records the child table (`status.iterations` and
 * the `iteration_results` artifact), the best child's results plus `best_iteration` when a selector is given, and
 * ends `error` only when every child failed or `maxErrors` was exceeded.
 */
export async function runSweep(
  parent: RunObject,
  handler: AnyHandler,
  paramSets: ParamSet[],
  settings: SweepSettings,
  deps: ExecuteDeps,
): Promise<void> {
  parent.status.state = 'running';
  parent.status.startTime ??= deps.clock();
  await deps.persist(parent);
  const maxErrors = settings.maxErrors ?? DEFAULT_MAX_ERRORS;
  const parallel = Math.max(1, settings.parallelRuns ?? 1);
  deps.log.info(`hyperparameter sweep: ${paramSets.length} iterations, ${parallel} at a time`);

  const rows: ChildRow[] = [];
  let next = 0;
  let errors = 0;
  let stop = false;

  const childOf = (i: number): RunObject => {
    const d = parent.toDict();
    const spec = (d.spec ?? {}) as Record<string, unknown>;
    delete spec.hyperparams;
    delete spec.param_file;
    delete spec.hyper_param_options;
    delete spec.selector;
    delete spec.strategy;
    delete spec.notifications;
    spec.parameters = { ...((spec.parameters as Record<string, unknown>) ?? {}), ...paramSets[i] };
    const child = RunObject.fromDict({ metadata: { ...(d.metadata as object), iteration: i + 1 }, spec });
    child.db = parent.db;
    return child;
  };

  const worker = async () => {
    while (!stop && !deps.signal.aborted && next < paramSets.length) {
      const i = next++;
      const child = childOf(i);
      await executeHandler(child, handler, { ...deps, log: deps.log.child(`[iter ${i + 1}] `) });
      const results = child.status.results ?? {};
      rows.push({ iteration: i + 1, state: child.status.state, results, params: paramSets[i] ?? {} });
      if (child.status.state !== 'completed') {
        errors++;
        if (errors > maxErrors) {
          stop = true;
          deps.log.warn(`stopping the sweep: ${errors} failed iterations exceed max_errors=${maxErrors}`);
        }
      } else if (settings.stopCondition && shouldStop(settings.stopCondition, results)) {
        stop = true;
        deps.log.info(`stop condition "${settings.stopCondition}" met at iteration ${i + 1}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, paramSets.length) }, worker));

  rows.sort((a, b) => a.iteration - b.iteration);
  const table = iterationTable(rows);
  parent.status.iterations = table;
  const artifactPath = parent.spec.outputPath ?? deps.artifactRoot;
  const fs = await deps.fileSystemFor(artifactPath);
  // MLRun's log_iter_artifacts: a TableArtifact with the header and the table viewer.
  const artifact: ArtifactRecord = await writeArtifact(
    fs,
    fs.join(artifactPath, parent.uid, '0'),
    'iteration_results',
    { body: toCsv(table), format: 'csv', kind: 'table', spec: { header: table[0], viewer: 'table' } },
    { uid: parent.uid, name: parent.metadata.name ?? '', project: parent.project, iteration: 0 },
  );
  parent.status.artifacts = [artifact];
  parent.status.artifactUris = artifactPaths([artifact]);

  const results: Record<string, unknown> = {};
  if (settings.selector) {
    const best = selectBest(rows, settings.selector);
    const bestRow = rows.find((r) => r.iteration === best);
    if (bestRow) Object.assign(results, bestRow.results);
    results.best_iteration = best;
    deps.log.info(best ? `best iteration by ${settings.selector}: ${best}` : `no iteration qualifies for ${settings.selector}`);
  }
  parent.status.results = results;

  const launched = rows.length;
  if (deps.signal.aborted) {
    parent.status.state = 'aborted';
    parent.status.error = 'Run was aborted';
  } else if (launched > 0 && (errors === launched || errors > maxErrors)) {
    parent.status.state = 'error';
    parent.status.error = `${errors} of ${launched} tasks failed${errors > maxErrors ? ` (max_errors=${maxErrors} exceeded)` : ''}`;
    deps.log.error(parent.status.error);
  } else {
    parent.status.state = 'completed';
    if (errors > 0) parent.status.statusText = `${errors} of ${launched} tasks failed`;
  }
  parent.status.lastUpdate = deps.clock();
  await deps.log.flush();
  await deps.persist(parent);
}

/** MLRun's child table: header `state, iter, param.<p>..., output.<r>...`, then one row per child. */
function iterationTable(rows: ChildRow[]): unknown[][] {
  const params = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const outs = [...new Set(rows.flatMap((r) => Object.keys(r.results)))];
  const header = ['state', 'iter', ...params.map((p) => `param.${p}`), ...outs.map((o) => `output.${o}`)];
  return [header, ...rows.map((r) => [r.state, r.iteration, ...params.map((p) => r.params[p] ?? null), ...outs.map((o) => r.results[o] ?? null)])];
}

function toCsv(table: unknown[][]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return table.map((row) => row.map(cell).join(',')).join('\n') + '\n';
}
