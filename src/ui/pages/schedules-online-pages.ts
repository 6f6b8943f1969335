import { html, type SafeHtml } from '../html.js';
import { cell, stateBadge } from './layout.js';

type Dict = Record<string, unknown>;

/** Schedules: cron, zone, next fire, watermark, the last fire and its run, and "run now". */
export function schedulesPage(list: Dict[], canRun: boolean): SafeHtml {
  return html`<h1>Schedules</h1><table class="list" id="schedules"><thead><tr><th>Name</th><th>Project</th><th>Cron</th><th>Zone</th><th>Next fire</th><th>Watermark</th><th>Last fire</th><th>Last run</th><th></th></tr></thead><tbody>
${list.map((s) => {
  const last = (s.last_run ?? {}) as Dict;
  const p = encodeURIComponent(String(s.project));
  return html`<tr><td>${cell(s.name)}</td><td>${cell(s.project)}</td><td class="mono">${cell(s.cron)}</td><td>${cell(s.tz)}</td><td>${cell(s.next_fire)}${s.error ? html`<span class="error">${cell(s.error)}</span>` : ''}</td><td>${cell(s.watermark)}</td><td>${cell(s.last_fire)}</td>
<td>${last.state ? stateBadge(String(last.state)) : ''} ${last.uid ? html`<a href="/runs/${p}/${encodeURIComponent(String(last.uid))}">${cell(last.uid)}</a>` : ''}
${Array.isArray(s.recent_runs) && s.recent_runs.length ? html`<details class="recent"><summary>last ${s.recent_runs.length} runs</summary><ul>${(s.recent_runs as Dict[]).map((r) => html`<li>${stateBadge(cell(r.state) || 'unknown')} <a href="/runs/${p}/${encodeURIComponent(String(r.uid))}">${cell(r.start_time)}</a></li>`)}</ul></details>` : ''}</td>
<td>${canRun ? html`<button class="run-now" data-url="/api/schedules/${p}/${encodeURIComponent(String(s.name))}/run">Run now</button> <span class="run-result"></span>` : ''}</td></tr>`;
})}</tbody></table>${list.length === 0 ? html`<p class="muted">No schedules: add one with <code>sluice schedule add</code>.</p>` : ''}`;
}

/** Online look-up: pick a feature set, type an entity key, see its features. */
export function onlinePage(featureSets: Dict[], q: { fs?: string; key?: string }, result: { rows?: Dict[]; error?: string } | undefined, enabled: boolean): SafeHtml {
  const options = featureSets.map((f) => {
    const m = (f.metadata ?? {}) as Dict;
    const id = `${String(m.project)}/${String(m.name)}`;
    return html`<option value="${id}"${q.fs === id ? html` selected` : ''}>${id}</option>`;
  });
  const rows = result?.rows ?? [];
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return html`<h1>Online look-up</h1>${enabled ? '' : html`<p class="error">The online reader is not wired into this server.</p>`}
<form method="get" action="/online" class="filters"><label>Feature set <select name="fs">${options}</select></label>
<label>Entity key <input name="key" value="${q.key ?? ''}" placeholder="k1 or k1.k2"></label><button type="submit">Look up</button></form>
${result?.error ? html`<p class="error" id="online-error">${result.error}</p>` : ''}
${rows.length ? html`<table class="list" id="online-result"><thead><tr>${cols.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${cols.map((c) => html`<td>${cell(r[c])}</td>`)}</tr>`)}</tbody></table>` : ''}`;
}
