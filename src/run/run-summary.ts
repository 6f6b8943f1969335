import { runPageUrl } from './run-page-url.js';
import { readArtifactRecord } from './artifact-record.js';

/** A short text summary of a run dict, for `RunObject.show()` and `sluice runs show`. */
export function formatRunSummary(run: Record<string, unknown>): string {
  const md = (run.metadata ?? {}) as Record<string, unknown>;
  const spec = (run.spec ?? {}) as Record<string, unknown>;
  const st = (run.status ?? {}) as Record<string, unknown>;
  const kv = (o: unknown) =>
    o && typeof o === 'object' && Object.keys(o).length
      ? Object.entries(o as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')
      : '-';
  const rows: Array<[string, string]> = [
    ['uid', String(md.uid ?? '')],
    ['name', String(md.name ?? '')],
    ['project', String(md.project ?? 'default')],
    ['iteration', String(md.iteration ?? 0)],
    ['state', String(st.state ?? '')],
    ['start', String(st.start_time ?? '-')],
    ['last update', String(st.last_update ?? '-')],
    ['labels', kv(md.labels)],
    ['parameters', kv(spec.parameters)],
    ['results', kv(st.results)],
    ['artifacts', Array.isArray(st.artifacts) ? st.artifacts.map((a) => readArtifactRecord(a as Record<string, unknown>)?.key ?? '?').join(', ') || '-' : '-'],
  ];
  if (st.error) rows.push(['error', String(st.error)]);
  if (Array.isArray(st.iterations) && st.iterations.length > 1) rows.push(['iterations', String(st.iterations.length - 1)]);
  const url = typeof st.ui_url === 'string' ? st.ui_url : runPageUrl(String(md.project ?? 'default'), String(md.uid ?? ''));
  if (url) rows.push(['ui', url]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')}\n`;
}
