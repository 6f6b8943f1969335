import type { FeatureSet } from '../model/feature-set.js';
import type { RunDB } from '../run/db/run-db.js';

interface TargetDict {
  name?: unknown;
  last_written?: unknown;
  [k: string]: unknown;
}

function targetsOf(status: unknown): TargetDict[] {
  const t = (status as { targets?: unknown } | undefined)?.targets;
  return Array.isArray(t) ? (t as TargetDict[]) : [];
}

/**
 * After a completed scheduled run, gives back `last_written` to every target that wrote no rows in this run
 * (the ingestion status then has none) but had one before, so an empty window never resets the watermark to
 * "read everything" (which would append every row again). MLRun does the same by falling back to the window
 * start. Returns whether the stored feature set was changed.
 */
export async function keepWatermarks(db: RunDB, featureSet: FeatureSet, before: unknown): Promise<boolean> {
  const previous = new Map(targetsOf(before).map((t) => [t.name, t.last_written]));
  const stored = await db.getFeatureSet(featureSet.name, { project: featureSet.project, tag: featureSet.tag });
  if (!stored) return false;
  let changed = false;
  for (const t of targetsOf(stored.status)) {
    const prev = previous.get(t.name);
    if ((t.last_written === undefined || t.last_written === null) && prev !== undefined && prev !== null) {
      t.last_written = prev;
      changed = true;
    }
  }
  if (changed) await db.storeFeatureSet(stored);
  return changed;
}
