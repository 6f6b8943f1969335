/** Markup that is already safe: produced by {@link html} or {@link rawHtml}, inserted as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Marks trusted markup (constants of this module's callers only, never data). */
export function rawHtml(s: string): SafeHtml {
  return new SafeHtml(s);
}

function part(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return escapeHtml(v);
}

/**
 * The one way pages build markup: every interpolated value is escaped unless it is `SafeHtml` (a nested `html`
 * result); arrays are joined; null, undefined and false render nothing. Run names, params, log and error text
 * are untrusted input.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += part(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** JSON for a `<script type="application/json">` block: `<`, `>` and `&` are escaped so it cannot close the tag. */
export function jsonScript(id: string, data: unknown): SafeHtml {
  const json = JSON.stringify(data ?? null).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new SafeHtml(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}
