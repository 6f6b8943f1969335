import type { RunDict } from '../run/db/run-db.js';

const TERMINAL = new Set(['completed', 'error', 'aborted', 'skipped']);

/** Whether a run state is final (the log stops growing). */
export function isTerminal(state: unknown): boolean {
  return typeof state === 'string' && TERMINAL.has(state);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Rows written by a run: per target the same rows land in each, so the largest target count, not the sum. */
function perTargetMax(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object') return Object.values(v).reduce<number>((a, x) => Math.max(a, num(x) ?? 0), 0);
  return undefined;
}

/** One row of the run list: what a person scans for. */
export interface RunSummary {
  uid: string;
  project: string;
  name: string;
  iteration: number;
  state: string;
  labels: Record<string, string>;
  start_time?: string;
  last_update?: string;
  /** Start to last update, for a finished run; start to now while it runs. */
  duration_ms?: number;
  rows_read?: number;
  rows_written?: number;
  error?: string;
}

/** The summary of a run dict. */
export function runSummary(r: RunDict, now: Date): RunSummary {
  const st = r.status ?? {};
  const res = (st.results ?? {}) as Record<string, unknown>;
  const start = st.start_time ? Date.parse(st.start_time) : NaN;
  const end = isTerminal(st.state) && st.last_update ? Date.parse(st.last_update) : now.getTime();
  const out: RunSummary = {
    uid: r.metadata.uid,
    project: r.metadata.project ?? 'default',
    name: r.metadata.name ?? '',
    iteration: r.metadata.iteration ?? 0,
    state: st.state ?? 'unknown',
    labels: r.metadata.labels ?? {},
  };
  if (st.start_time) out.start_time = st.start_time;
  if (st.last_update) out.last_update = st.last_update;
  if (Number.isFinite(start) && Number.isFinite(end)) out.duration_ms = Math.max(0, end - start);
  const read = num(res.rows_read);
  if (read !== undefined) out.rows_read = read;
  const written = perTargetMax(res.rows_written);
  if (written !== undefined) out.rows_written = written;
  if (typeof st.error === 'string') out.error = st.error;
  return out;
}

/** A sweep's iteration table (`status.iterations`: header row, then rows) as objects, with the best one marked. */
export interface IterationTable {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  best?: number;
  /** The selector's metric (`output.<name>`), when the run has a selector. */
  metric?: string;
}

/** Reads `status.iterations` and `spec.hyper_param_options.selector` / `status.results.best_iteration`. */
export function iterationTable(r: RunDict): IterationTable | undefined {
  const table = r.status?.iterations;
  if (!Array.isArray(table) || table.length < 2 || !Array.isArray(table[0])) return undefined;
  const columns = (table[0] as unknown[]).map(String);
  const rows = (table.slice(1) as unknown[][]).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  const res = (r.status?.results ?? {}) as Record<string, unknown>;
  const best = num(res.best_iteration);
  const raw = r.spec?.selector ?? (r.spec?.hyper_param_options as Record<string, unknown> | undefined)?.selector;
  const selector = typeof raw === 'string' ? raw.replace(/^(min|max)\./, '') : undefined;
  const metric = selector && columns.includes(`output.${selector}`) ? `output.${selector}` : columns.find((c) => c.startsWith('output.'));
  return { columns, rows, ...(best !== undefined && best > 0 ? { best } : {}), ...(metric ? { metric } : {}) };
}

/** Milliseconds as `1h 2m`, `3.4 s`, `120 ms`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m}m ${Math.floor((ms % 60_000) / 1000)}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
