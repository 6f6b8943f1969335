import { html, jsonScript, type SafeHtml } from '../html.js';
import type { PartitionNode } from '../ui-data.js';
import { cell, stateBadge } from './layout.js';

type Dict = Record<string, unknown>;

const specOf = (fs: Dict): Dict => (fs.spec ?? {}) as Dict;
const metaOf = (fs: Dict): Dict => (fs.metadata ?? {}) as Dict;
const names = (v: unknown): string => (Array.isArray(v) ? v.map((e) => (typeof e === 'string' ? e : String((e as Dict).name))).join(', ') : '');

/** Every feature set: project, name, entities, timestamp key, source, targets. */
export function featureSetsPage(list: Dict[]): SafeHtml {
  return html`<h1>Feature sets</h1><table class="list" id="feature-sets"><thead><tr><th>Name</th><th>Project</th><th>Entities</th><th>Timestamp key</th><th>Source</th><th>Targets</th></tr></thead><tbody>
${list.map((fs) => {
  const m = metaOf(fs);
  const s = specOf(fs);
  const src = (s.source ?? {}) as Dict;
  return html`<tr><td><a href="/feature-sets/${encodeURIComponent(String(m.project))}/${encodeURIComponent(String(m.name))}">${m.name}</a></td><td>${m.project}</td><td>${names(s.entities)}</td><td>${cell(s.timestamp_key)}</td><td>${cell(src.kind)} <span class="mono">${cell(src.path)}</span></td><td>${names(s.targets)}</td></tr>`;
})}</tbody></table>${list.length === 0 ? html`<p class="muted">No feature sets yet: run <code>sluice ingest</code>.</p>` : ''}`;
}

function tree(n: PartitionNode, depth: number): SafeHtml {
  return html`<ul class="tree">${n.children.map(
    (c) => html`<li><details${depth < 1 ? html` open` : ''}><summary><span class="mono">${c.name}</span> <span class="muted">${c.rows} rows, ${c.files} files, ${c.bytes} bytes</span></summary>${c.children.length ? tree(c, depth + 1) : ''}</details></li>`,
  )}</ul>`;
}

/** One feature set: spec, schema, per-target status, rows per run chart and the partition trees. */
export function featureSetPage(fs: Dict, rows: Array<{ uid: string; start_time: string; rows: number }>, trees: Array<{ target: string; online?: boolean; tree: PartitionNode | undefined }>): SafeHtml {
  const m = metaOf(fs);
  const s = specOf(fs);
  const src = (s.source ?? {}) as Dict;
  const status = (fs.status ?? {}) as Dict;
  const targets = Array.isArray(status.targets) ? (status.targets as Dict[]) : [];
  const features = Array.isArray(s.features) ? (s.features as Dict[]) : [];
  const chart = rows.map((r) => [Date.parse(r.start_time) / 1000, r.rows]);
  return html`<h1>${m.name} <span class="muted">${m.project}</span></h1>
<table class="kv" id="fs-spec"><tr><th>entities</th><td>${names(s.entities)}</td></tr><tr><th>timestamp key</th><td>${cell(s.timestamp_key)}</td></tr>
<tr><th>source</th><td>${cell(src.kind)} <span class="mono">${cell(src.path)}</span></td></tr><tr><th>tag</th><td>${cell(m.tag)}</td></tr></table>
<section><h2>Schema</h2>${features.length ? html`<table class="list"><thead><tr><th>Column</th><th>Type</th></tr></thead><tbody>${features.map((f) => html`<tr><td>${cell(f.name)}</td><td>${cell(f.value_type)}</td></tr>`)}</tbody></table>` : html`<p class="muted">no declared features (inferred at ingestion)</p>`}</section>
<section><h2>Targets</h2><table class="list" id="fs-targets"><thead><tr><th>Name</th><th>Kind</th><th>Status</th><th>Run id</th><th>Path</th><th>Partitioning</th><th>Rows</th><th>Size</th><th>Last written</th><th>Updated</th></tr></thead><tbody>
${targets.map((t) => {
  const parts = [t.key_bucketing_number !== undefined ? `hash${cell(t.key_bucketing_number)}` : '', Array.isArray(t.partition_cols) ? t.partition_cols.join('/') : '', cell(t.time_partitioning_granularity)].filter(Boolean).join(' / ');
  return html`<tr><td>${cell(t.name)}</td><td>${cell(t.kind)}</td><td>${stateBadge(cell(t.status) || 'unknown')}</td><td class="mono">${cell(t.run_id)}</td><td class="mono">${cell(t.path)}</td><td>${t.partitioned === false ? 'none' : parts}</td><td class="num">${cell(t.rows)}</td><td class="num">${cell(t.size)}</td><td>${cell(t.last_written)}</td><td>${cell(t.updated)}</td></tr>`;
})}</tbody></table></section>
<section><h2>Rows per run</h2>${chart.length ? html`<div class="chart" data-chart="rows" data-x="time" data-y="rows"></div>${jsonScript('chart-rows', chart)}` : html`<p class="muted">no runs yet</p>`}</section>
<section><h2>Partitions</h2>${trees.map((t) => html`<h3>${t.target}</h3>${t.tree && t.tree.files ? html`<p class="muted">${t.tree.rows} rows in ${t.tree.files} files</p><div class="partitions" data-target="${t.target}">${tree(t.tree, 0)}</div>` : html`<p class="muted">${t.online ? 'online target: no partitions' : 'no manifest readable from this server'}</p>`}`)}</section>`;
}
