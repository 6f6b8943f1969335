import type { ArtifactRecord } from '../model/run-status.js';

/** The kinds MLRun's `dict_to_artifact` can load (`mlrun/artifacts/manager.py` `artifact_types`, 1.7). */
export const MLRUN_ARTIFACT_KINDS = ['artifact', 'dir', 'link', 'plot', 'table', 'model', 'dataset', 'plotly'] as const;

/**
 * The kind an artifact is recorded with: one MLRun knows is kept; `file` (Sluice's old default, a log hint's
 * type) and any other become `artifact`, MLRun's plain file (a kind MLRun does not know fails its loader).
 */
export function recordKind(kind: string | undefined): string {
  return kind !== undefined && (MLRUN_ARTIFACT_KINDS as readonly string[]).includes(kind) ? kind : 'artifact';
}

/** What one logged artifact is: where its bytes went and who wrote them. */
export interface ArtifactFacts {
  key: string;
  kind?: string;
  project: string;
  /** The run's iteration (0 for a plain run or a sweep's parent). */
  iter: number;
  /** The run's uid: MLRun's `tree`, which groups a run's artifacts. */
  tree: string;
  /** sha1 hex of the bytes (MLRun's `calculate_blob_hash`). */
  hash: string;
  targetPath: string;
  format: string;
  size: number;
  /** The run's name. */
  producerName: string;
  labels?: Record<string, string>;
  /** Kind-specific `spec` fields (a table's `header`, `viewer`). */
  spec?: Record<string, unknown>;
}

/**
 * An artifact record in MLRun's shape, as `Artifact.base_dict()` puts it in a run's `status.artifacts`:
 * `{ kind, metadata: { key, project, iter, tree, hash, labels? }, spec: { target_path, format, size, producer },
 * status: { state: 'created' } }`. No `db_key`: Sluice has no artifact store, so MLRun's `output()` answers
 * `spec.target_path` (a `db_key` would make it a `store://` URI).
 */
export function artifactRecord(f: ArtifactFacts): ArtifactRecord {
  const metadata: Record<string, unknown> = { key: f.key, project: f.project, iter: f.iter, tree: f.tree, hash: f.hash };
  if (f.labels && Object.keys(f.labels).length > 0) metadata.labels = { ...f.labels };
  return {
    kind: recordKind(f.kind),
    metadata,
    spec: {
      target_path: f.targetPath,
      format: f.format,
      size: f.size,
      ...(f.spec ?? {}),
      producer: { kind: 'run', name: f.producerName, uri: `${f.project}/${f.tree}` },
    },
    status: { state: 'created' },
  };
}

/** An artifact record read back, whatever its shape. */
export interface FoundArtifact {
  key: string;
  kind: string;
  path: string;
  size?: number;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one record: MLRun's shape (`metadata.key`, `spec.target_path`; MLRun ≥ 1.3, and Sluice since #10) or the
 * flat legacy one (`key`, `target_path` at the top; MLRun ≤ 1.2 and Sluice before #10).
 */
export function readArtifactRecord(rec: ArtifactRecord): (FoundArtifact & { tag?: string }) | undefined {
  const md = rec.metadata;
  const flat = !isMap(md);
  const from = (flat ? rec : md) as Record<string, unknown>;
  const spec = (flat ? rec : isMap(rec.spec) ? rec.spec : {}) as Record<string, unknown>;
  if (typeof from.key !== 'string') return undefined;
  return {
    key: from.key,
    kind: typeof rec.kind === 'string' && rec.kind !== '' ? rec.kind : 'artifact',
    path: typeof spec.target_path === 'string' ? spec.target_path : '',
    ...(typeof spec.size === 'number' ? { size: spec.size } : {}),
    ...(typeof from.tag === 'string' ? { tag: from.tag } : {}),
  };
}

/**
 * The record logged under `key`, as MLRun's `RunObject._artifact` picks it: the last one with that key, one not
 * tagged `latest` first.
 */
export function findArtifact(records: readonly ArtifactRecord[] | undefined, key: string): FoundArtifact | undefined {
  const matching = (records ?? []).map(readArtifactRecord).filter((a) => a?.key === key) as Array<FoundArtifact & { tag?: string }>;
  const pick = matching.filter((a) => a.tag !== 'latest').at(-1) ?? matching.at(-1);
  if (pick === undefined) return undefined;
  const { tag: _tag, ...found } = pick;
  return found;
}

/** Artifact key → target path of every record (MLRun's `RunObject.outputs` part for artifacts). */
export function artifactPaths(records: readonly ArtifactRecord[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rec of records ?? []) {
    const key = readArtifactRecord(rec)?.key;
    if (key === undefined || key in out) continue;
    const found = findArtifact(records, key);
    if (found?.path) out[key] = found.path;
  }
  return out;
}
