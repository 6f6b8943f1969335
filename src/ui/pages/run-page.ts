import type { Manifest } from '../../ingest/commit-protocol.js';
import type { RunDict } from '../../run/db/run-db.js';
import { html, jsonScript, type SafeHtml } from '../html.js';
import { formatDuration, isTerminal, iterationTable, runSummary } from '../run-view.js';
import { cell, dictTable, stateBadge } from './layout.js';

/** Per-target outcome of an ingestion run: the status entry it wrote and its manifest. */
export interface TargetOutcome {
  name: string;
  kind?: string;
  path?: string;
  rows?: number;
  bytes?: number;
  last_written?: string;
  producer?: unknown;
  status?: string;
  manifest?: Manifest;
}

function iterationsSection(run: RunDict): SafeHtml {
  const t = iterationTable(run);
  if (!t) return html``;
  const chart = t.metric ? t.rows.map((r) => [Number(r.iter), Number(r[t.metric as string])]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) : [];
  return html`<section><h2>Iterations</h2>
${t.metric && chart.length ? html`<div class="chart" data-chart="iterations" data-x="iteration" data-y="${t.metric}" data-best="${t.best ?? ''}"></div>${jsonScript('chart-iterations', chart)}` : ''}
<table class="list" id="iterations"><thead><tr>${t.columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>
${t.rows.map((r) => {
  const best = t.best !== undefined && Number(r.iter) === t.best;
  return html`<tr class="${best ? 'best' : ''}" ${best ? html`data-best="true"` : ''}>${t.columns.map((c, i) => html`<td>${i === 0 && best ? html`<span class="best-mark" title="best iteration">★ best</span> ` : ''}${cell(r[c])}</td>`)}</tr>`;
})}
</tbody></table></section>`;
}

function artifactsSection(run: RunDict, base: string): SafeHtml {
  const arts = Array.isArray(run.status?.artifacts) ? (run.status.artifacts as Array<Record<string, unknown>>) : [];
  if (!arts.length) return html``;
  return html`<section><h2>Artifacts</h2><ul class="artifacts">${arts.map((a) => {
    const key = String(a.key ?? (a.metadata as Record<string, unknown> | undefined)?.key ?? '');
    const path = String(a.target_path ?? (a.spec as Record<string, unknown> | undefined)?.target_path ?? '');
    return html`<li><a href="${base}/artifacts/${encodeURIComponent(key)}?download=1">${key}</a> <a href="${base}/artifacts/${encodeURIComponent(key)}">preview</a> <span class="muted mono">${path}</span></li>`;
  })}</ul></section>`;
}

function notificationsSection(run: RunDict): SafeHtml {
  const spec = Array.isArray(run.spec?.notifications) ? (run.spec.notifications as Array<Record<string, unknown>>) : [];
  const delivered = (run.status?.notifications ?? {}) as Record<string, Record<string, unknown>>;
  if (!spec.length && !Object.keys(delivered).length) return html``;
  const names = [...new Set([...spec.map((n) => String(n.name)), ...Object.keys(delivered)])];
  return html`<section><h2>Notifications</h2><table class="list"><thead><tr><th>Name</th><th>Kind</th><th>When</th><th>Delivery</th><th>Sent</th><th>Reason</th></tr></thead><tbody>
${names.map((n) => {
  const s = spec.find((x) => x.name === n) ?? {};
  const d = delivered[n] ?? {};
  return html`<tr><td>${n}</td><td>${cell(s.kind)}</td><td>${cell(s.when)}</td><td>${cell(d.status ?? 'pending')}</td><td>${cell(d.sent_time)}</td><td>${cell(d.reason)}</td></tr>`;
})}</tbody></table></section>`;
}

function targetsSection(targets: TargetOutcome[]): SafeHtml {
  if (!targets.length) return html``;
  return html`<section><h2>Targets</h2><table class="list" id="targets"><thead><tr><th>Target</th><th>Kind</th><th>Path</th><th>Files</th><th>Partitions</th><th>Rows</th><th>Bytes</th><th>Last written</th><th>Producer</th></tr></thead><tbody>
${targets.map((t) => {
  const files = t.manifest?.files ?? [];
  const parts = new Set(files.map((f) => f.path.split('/').slice(0, -1).join('/')));
  return html`<tr><td>${t.name}</td><td>${t.kind ?? ''}</td><td class="mono">${t.path ?? ''}</td><td class="num">${t.manifest ? files.length : ''}</td><td class="num">${t.manifest ? parts.size : ''}</td><td class="num">${t.rows ?? ''}</td><td class="num">${t.bytes ?? ''}</td><td>${t.last_written ?? ''}</td><td class="mono">${cell(t.producer)}</td></tr>`;
})}</tbody></table></section>`;
}

/** One run: summary, error, params, results, sweep, artifacts, notifications, targets and the (followed) log. */
export function runPage(run: RunDict, log: { text: string; offset: number }, targets: TargetOutcome[], now: Date): SafeHtml {
  const s = runSummary(run, now);
  const base = `/api/runs/${encodeURIComponent(s.project)}/${encodeURIComponent(s.uid)}`;
  const abort = isTerminal(s.state) || s.state === 'aborting' ? '' : html` <button class="abort-run" data-url="${base}/abort">Abort</button> <span class="abort-result"></span>`;
  return html`<h1>${s.name || s.uid} ${stateBadge(s.state)}${abort}</h1>
<table class="kv" id="summary"><tr><th>uid</th><td class="mono">${s.uid}</td></tr><tr><th>project</th><td>${s.project}</td></tr>
<tr><th>labels</th><td>${Object.entries(s.labels).map(([k, v]) => html`<span class="label">${k}=${v}</span> `)}</td></tr>
<tr><th>start</th><td>${s.start_time ?? ''}</td></tr><tr><th>duration</th><td>${formatDuration(s.duration_ms)}</td></tr>
<tr><th>JSON</th><td><a href="${base}">${base}</a></td></tr></table>
${s.error ? html`<section><h2>Error</h2><pre class="error" id="run-error">${s.error}</pre></section>` : ''}
<section><h2>Parameters</h2>${dictTable(run.spec?.parameters as Record<string, unknown> | undefined)}</section>
<section><h2>Results</h2>${dictTable(run.status?.results as Record<string, unknown> | undefined)}</section>
${targetsSection(targets)}
${iterationsSection(run)}
${artifactsSection(run, base)}
${notificationsSection(run)}
<section><h2>Log</h2><pre id="log" class="log" data-src="${base}/log" data-offset="${log.offset}" data-follow="${isTerminal(s.state) ? 'false' : 'true'}">${log.text}</pre>
<p class="muted" id="log-state">${isTerminal(s.state) ? '' : 'following…'}</p></section>`;
}
