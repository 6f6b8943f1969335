import { RUN_STATES } from '../../model/run-states.js';
import { html, type SafeHtml } from '../html.js';
import { formatDuration } from '../run-view.js';
import type { RunPage, RunQuery } from '../ui-data.js';
import { stateBadge } from './layout.js';

/** The run list: filters, one page of runs newest first, a link to the next page (keyset cursor). */
export function runsPage(page: RunPage, q: RunQuery): SafeHtml {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k === 'after') continue;
    for (const x of Array.isArray(v) ? v : [v]) if (x) params.append(k, String(x));
  }
  if (page.next) params.set('after', page.next);
  return html`<h1>Runs</h1>
<form class="filters" method="get" action="/">
  <label>Project <input name="project" value="${q.project ?? ''}"></label>
  <label>State <select name="state"><option value="">any</option>${RUN_STATES.map((s) => html`<option${q.state === s ? html` selected` : ''}>${s}</option>`)}</select></label>
  <label>Name contains <input name="name" value="${q.name ?? ''}"></label>
  <label>Label <input name="label" placeholder="key=value" value="${q.label?.[0] ?? ''}"></label>
  <button type="submit">Filter</button>
</form>
<table class="list" id="runs"><thead><tr><th>State</th><th>Name</th><th>Project</th><th>Labels</th><th>Start</th><th>Duration</th><th>Rows read</th><th>Rows written</th><th>Uid</th></tr></thead><tbody>
${page.runs.map(
  (r) => html`<tr><td>${stateBadge(r.state)}</td><td><a href="/runs/${encodeURIComponent(r.project)}/${encodeURIComponent(r.uid)}">${r.name || r.uid}</a></td><td>${r.project}</td>
<td>${Object.entries(r.labels).map(([k, v]) => html`<span class="label">${k}=${v}</span> `)}</td><td>${r.start_time ?? ''}</td><td>${formatDuration(r.duration_ms)}</td><td class="num">${r.rows_read ?? ''}</td><td class="num">${r.rows_written ?? ''}</td><td class="mono">${r.uid}</td></tr>`,
)}
</tbody></table>
${page.runs.length === 0 ? html`<p class="muted">No runs match.</p>` : ''}
<p class="pager">${q.after ? html`<a href="/">First page</a> ` : ''}${page.next ? html`<a id="next-page" href="/?${params.toString()}">Next page →</a>` : ''}</p>`;
}
