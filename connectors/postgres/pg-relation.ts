/** What a `sql` source reads: a table (optionally schema-qualified) or the rows of a query. */
export type PgRelation = { table: string; schema?: string } | { query: string };

/**
 * A PostgreSQL identifier in double quotes, embedded quotes doubled: `a"b` → `"a""b"`. Quoted identifiers
 * are taken literally (case kept), so any name is safe to splice into SQL.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The `FROM` item of a relation, aliased `src`: `"s"."t" AS src` or `(<query>) AS src`. */
export function fromItem(rel: PgRelation): string {
  if ('query' in rel) return `(${rel.query}) AS src`;
  return `${rel.schema === undefined ? '' : `${quoteIdent(rel.schema)}.`}${quoteIdent(rel.table)} AS src`;
}

/** A short, one-line name of a relation for messages: `table "s"."t"` or `query "SELECT ..."` (cut at 80 chars). */
export function relationLabel(rel: PgRelation): string {
  if (!('query' in rel)) return `table ${rel.schema === undefined ? '' : `${quoteIdent(rel.schema)}.`}${quoteIdent(rel.table)}`;
  const one = rel.query.replace(/\s+/g, ' ').trim();
  return `query ${JSON.stringify(one.length > 80 ? `${one.slice(0, 77)}...` : one)}`;
}
