import { SpecError } from '../errors.js';
import { FeatureSet } from '../model/feature-set.js';
import { formatTime, parseTime } from '../util/time.js';
import { planIngestion } from './plan-ingestion.js';
import type { IngestionPlan, PlanConnectors } from './plan-ingestion.js';

/**
 * A plan as plain JSON: the feature set (its spec with the plan's effective source and targets, and its status) and
 * the decisions planning made (run id, overwrite, the window, the run directory of every file target). A worker on
 * another thread or machine rebuilds the same plan from it with {@link rebuildPlan}.
 */
export interface PlanDescription {
  feature_set: Record<string, unknown>;
  run_id: string;
  overwrite: boolean;
  allow_empty: boolean;
  start_time?: string;
  end_time?: string;
  /** Target name → the run id of the directory it writes (so a rebuilt plan writes where this one does). */
  append_to: Record<string, string>;
}

/**
 * Describes a plan as JSON-serialisable data. A plan over a ready in-memory source cannot be described (its rows
 * are not data a spec can carry).
 * @throws SpecError for a plan with a ready source.
 */
export function describePlan(plan: IngestionPlan): PlanDescription {
  if (plan.readySource) throw new SpecError(`feature set "${plan.featureSet.name}": a plan over a ready source (${plan.readySource.constructor.name}) cannot be described as data; give the source as a spec`);
  const fs = FeatureSet.fromDict(plan.featureSet.toDict());
  fs.spec.source = plan.source;
  fs.spec.targets = plan.targets.map((t) => t.spec);
  const appendTo: Record<string, string> = {};
  for (const t of plan.targets) if (t.file) appendTo[t.name] = t.file.resolved.targetRunId;
  return {
    feature_set: fs.toDict(),
    run_id: plan.runId,
    overwrite: plan.overwrite,
    allow_empty: plan.allowEmpty,
    ...(plan.startTime ? { start_time: formatTime(plan.startTime) } : {}),
    ...(plan.endTime ? { end_time: formatTime(plan.endTime) } : {}),
    append_to: appendTo,
  };
}

/** Rebuilds the plan a {@link PlanDescription} describes: the same run id, window, settings and directories. */
export async function rebuildPlan(d: PlanDescription, connectors: PlanConnectors): Promise<IngestionPlan> {
  const fs = FeatureSet.fromDict(d.feature_set, 'plan description feature_set');
  return planIngestion(
    fs,
    {
      runId: d.run_id,
      overwrite: d.overwrite,
      allowEmpty: d.allow_empty,
      ...(d.start_time ? { startTime: parseTime(d.start_time, 'plan description start_time') } : {}),
      ...(d.end_time ? { endTime: parseTime(d.end_time, 'plan description end_time') } : {}),
      ...(d.overwrite ? {} : { appendTo: d.append_to }),
    },
    connectors,
  );
}
