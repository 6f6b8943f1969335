import { NotFoundError, SpecError } from '../errors.js';
import { readManifests, type Manifest } from '../ingest/commit-protocol.js';
import type { RunDict, RunFilter } from '../run/db/run-db.js';
import { runCursor } from '../run/db/run-cursor.js';
import { nextFire } from '../schedule/due-fire.js';
import { featureSetWatermark } from '../ingest/incremental-window.js';
import { resolveSchedule } from '../schedule/schedule-record.js';
import { LocalFileSystem } from '../storage/local-file-system.js';
import { decodeCursor, encodeCursor } from './cursor-param.js';
import { runSummary, type RunSummary } from './run-view.js';
import type { UiOptions } from './ui-options.js';

/** The run-list filter as it arrives in a URL (`?project=&state=&name=&label=k=v&limit=&after=`). */
export interface RunQuery {
  project?: string;
  state?: string;
  name?: string;
  label?: string[];
  limit?: string;
  after?: string;
}

/** One page of runs and the cursor of the next (null at the end). */
export interface RunPage {
  runs: RunSummary[];
  next: string | null;
}

export const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/** Turns URL parameters into a `RunFilter`; bad values are `SpecError`s naming the parameter. */
export function runFilterOf(q: RunQuery): RunFilter & { limit: number } {
  const limit = q.limit === undefined || q.limit === '' ? DEFAULT_PAGE : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new SpecError(`limit=${JSON.stringify(q.limit)} is not valid; expected an integer from 1 to ${MAX_PAGE}`);
  const labels: Record<string, string> = {};
  for (const l of q.label ?? []) {
    if (l === '') continue;
    const i = l.indexOf('=');
    if (i <= 0) throw new SpecError(`label=${JSON.stringify(l)} is not valid; expected key=value`);
    labels[l.slice(0, i)] = l.slice(i + 1);
  }
  return {
    limit,
    ...(q.project ? { project: q.project } : {}),
    ...(q.state ? { state: q.state } : {}),
    ...(q.name ? { name: `~${q.name}` } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(q.after ? { after: decodeCursor(q.after) } : {}),
  };
}

/** A page of runs, newest first; asks for one more than the page to know whether there is a next one. */
export async function listRunPage(o: UiOptions, q: RunQuery): Promise<RunPage> {
  const f = runFilterOf(q);
  const got = await o.db.listRuns({ ...f, limit: f.limit + 1 });
  const page = got.slice(0, f.limit);
  const last = page[page.length - 1];
  const now = (o.now ?? (() => new Date()))();
  return { runs: page.map((r) => runSummary(r, now)), next: got.length > f.limit && last ? encodeCursor(runCursor(last)) : null };
}

/** A run with its child iterations (a sweep), or NotFoundError. */
export async function runDetail(o: UiOptions, project: string, uid: string): Promise<{ run: RunDict; children: RunDict[] }> {
  const run = await o.db.readRun(uid, { project });
  if (!run) throw new NotFoundError(`run ${uid} is not in project ${project}`);
  const all = await o.db.listRuns({ project, uid });
  return { run, children: all.filter((r) => (r.metadata.iteration ?? 0) > 0).sort((a, b) => (a.metadata.iteration ?? 0) - (b.metadata.iteration ?? 0)) };
}

/** A feature set dict, or NotFoundError. */
export async function featureSetOf(o: UiOptions, project: string, name: string): Promise<Record<string, unknown>> {
  const fs = await o.db.getFeatureSet(name, { project });
  if (!fs) throw new NotFoundError(`feature set ${name} is not in project ${project}`);
  return fs;
}

/** `status.targets` of a feature set dict. */
export function statusTargets(fs: Record<string, unknown>): Array<Record<string, unknown>> {
  const t = (fs.status as { targets?: unknown } | undefined)?.targets;
  return Array.isArray(t) ? (t as Array<Record<string, unknown>>) : [];
}

/** Rows ingested per run of a feature set, oldest first (from the ingest runs labelled with it). */
export async function rowsPerRun(o: UiOptions, project: string, name: string): Promise<Array<{ uid: string; start_time: string; rows: number; state: string }>> {
  const runs = await o.db.listRuns({ project, labels: { 'feature-set': name }, limit: 500 });
  const now = (o.now ?? (() => new Date()))();
  return runs
    .map((r) => runSummary(r, now))
    .filter((s) => s.start_time !== undefined)
    .map((s) => ({ uid: s.uid, start_time: s.start_time as string, rows: s.rows_written ?? 0, state: s.state }))
    .reverse();
}

/** The root of a target's current run directory: its templated path with the status's run id filled in. */
export function targetRoot(t: Record<string, unknown>): string | undefined {
  const path = typeof t.path === 'string' ? t.path : undefined;
  const runId = typeof t.run_id === 'string' ? t.run_id : undefined;
  if (!path) return undefined;
  return runId ? path.replace('{run_id}', runId) : path.includes('{run_id}') ? undefined : path;
}

/** A node of a partition tree: a `name=value` level with the rows and files below it. */
export interface PartitionNode {
  name: string;
  rows: number;
  files: number;
  bytes: number;
  children: PartitionNode[];
}

/** Builds the partition tree of the manifests (file paths relative to the target root). */
export function partitionTree(manifests: Manifest[]): PartitionNode {
  const root: PartitionNode = { name: '', rows: 0, files: 0, bytes: 0, children: [] };
  for (const m of manifests) {
    for (const f of m.files) {
      let node = root;
      const add = (n: PartitionNode): void => {
        n.rows += f.rows;
        n.files += 1;
        n.bytes += f.bytes;
      };
      add(node);
      for (const seg of f.path.split('/').slice(0, -1)) {
        let child = node.children.find((c) => c.name === seg);
        if (!child) {
          child = { name: seg, rows: 0, files: 0, bytes: 0, children: [] };
          node.children.push(child);
        }
        add(child);
        node = child;
      }
    }
  }
  const sort = (n: PartitionNode): void => {
    n.children.sort((a, b) => a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** The manifests of a target's current run directory; empty when the target is online or not readable here. */
export async function targetManifests(o: UiOptions, t: Record<string, unknown>): Promise<Manifest[]> {
  const root = targetRoot(t);
  if (!root || /^(redis|rediss):/.test(root)) return [];
  const fs = o.fileSystemFor ? await o.fileSystemFor(root) : /^[a-z][a-z0-9+.-]+:\/\//i.test(root) ? undefined : new LocalFileSystem();
  if (!fs) return [];
  return readManifests(fs, root.replace(/^file:\/\//, ''));
}

/** A schedule as the page shows it: the stored dict, next fire and the watermark of its feature set. */
export async function scheduleViews(o: UiOptions): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (const d of await o.db.listSchedules()) {
    const view: Record<string, unknown> = { name: d.name, project: d.project, cron: d.cron, tz: d.tz ?? 'UTC', last_fire: d.last_fire, last_run: d.last_run };
    try {
      const s = resolveSchedule(d);
      view.cron = s.cron.expression;
      view.tz = s.cron.tz;
      view.next_fire = nextFire(s).toISOString();
      view.feature_set = s.featureSet.name;
      const fs = await o.db.getFeatureSet(s.featureSet.name, { project: s.featureSet.project });
      const wm = fs ? featureSetWatermark(fs.status) : undefined;
      if (wm) view.watermark = wm.toISOString();
      const recent = await o.db.listRuns({ project: String(d.project), labels: { schedule: String(d.name) }, limit: 5 });
      view.recent_runs = recent.map((r) => ({ uid: r.metadata.uid, state: r.status?.state, start_time: r.status?.start_time }));
    } catch (err) {
      view.error = (err as Error).message;
    }
    out.push(view);
  }
  return out;
}
