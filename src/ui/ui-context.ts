import type { Manifest } from '../ingest/commit-protocol.js';
import type { RunDict } from '../run/db/run-db.js';
import type { TargetOutcome } from './pages/run-page.js';
import { statusTargets, targetManifests } from './ui-data.js';
import type { UiOptions } from './ui-options.js';

/**
 * The per-target outcome of an ingestion run: rows and bytes from its results, path, `last_written` and producer
 * from the feature set's status when the status still points at this run, files and partitions from its manifest.
 */
export async function ingestOutcome(o: UiOptions, run: RunDict): Promise<TargetOutcome[]> {
  const res = (run.status?.results ?? {}) as Record<string, unknown>;
  const written = (res.rows_written ?? {}) as Record<string, number>;
  const bytes = (res.bytes_written ?? {}) as Record<string, number>;
  const fsName = run.metadata.labels?.['feature-set'];
  if (typeof res.ingest_run_id !== 'string' || !fsName) return [];
  const fs = await o.db.getFeatureSet(fsName, { project: run.metadata.project ?? 'default' });
  const targets = fs ? statusTargets(fs) : [];
  const out: TargetOutcome[] = [];
  for (const name of Object.keys(written)) {
    const t = targets.find((x) => x.name === name && x.run_id === res.ingest_run_id);
    let manifest: Manifest | undefined;
    if (t) manifest = (await targetManifests(o, t).catch(() => [])).find((m) => m.run_id === res.ingest_run_id);
    out.push({
      name,
      rows: written[name],
      bytes: bytes[name],
      ...(t ? { kind: String(t.kind), path: String(t.path), status: String(t.status) } : {}),
      ...(t?.last_written ? { last_written: String(t.last_written) } : {}),
      ...(t?.producer ? { producer: t.producer } : {}),
      ...(manifest ? { manifest } : {}),
    });
  }
  return out;
}
