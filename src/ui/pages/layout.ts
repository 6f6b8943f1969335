import { STYLESHEET } from '../client-script.js';
import { html, rawHtml, type SafeHtml } from '../html.js';

/** The page frame: title, navigation, the stylesheet (inline: no extra request before first paint) and the small client script. */
export function layout(title: string, body: SafeHtml, o: { charts?: boolean } = {}): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Sluice</title>
<style>${rawHtml(STYLESHEET)}</style>
${o.charts ? html`<link rel="stylesheet" href="/assets/uplot.css"><script src="/assets/uplot.js" defer></script>` : ''}
<script src="/assets/app.js" defer></script>
</head><body>
<nav><a class="brand" href="/">Sluice</a><a href="/">Runs</a><a href="/feature-sets">Feature sets</a><a href="/schedules">Schedules</a><a href="/online">Online</a></nav>
<main>${body}</main>
</body></html>`.value}`;
}

/** An error page body: the message as text. */
export function errorBody(message: string): SafeHtml {
  return html`<h1>Not found</h1><p class="error">${message}</p>`;
}

/** A value as compact text for a table cell: strings raw, everything else as JSON. */
export function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A key/value table of a dict. */
export function dictTable(d: Record<string, unknown> | undefined, cls = 'kv'): SafeHtml {
  const entries = Object.entries(d ?? {});
  if (entries.length === 0) return html`<p class="muted">none</p>`;
  return html`<table class="${cls}">${entries.map(([k, v]) => html`<tr><th>${k}</th><td>${cell(v)}</td></tr>`)}</table>`;
}

/** A state badge. */
export function stateBadge(state: string): SafeHtml {
  return html`<span class="state state-${state.replace(/[^a-z]/g, '')}">${state}</span>`;
}
