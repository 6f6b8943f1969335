/**
 * The PostgreSQL run db's tables (DDL, idempotent) and the URL handling of {@link PostgresRunDB}: the `?schema=`
 * parameter and password-free forms for messages.
 */
import { SpecError } from '../../errors.js';
import { redactUrl } from '../../util/redact.js';

/**
 * Version of the table layout, kept in `<schema>.meta` (2 added `schedules`, 3 the run heartbeat columns, 4 the
 * abort request column; the DDL is idempotent, so connecting migrates).
 */
export const SCHEMA_VERSION = 4;
/** A schema name that needs no quoting tricks: letters, digits, `_`, at most 63 characters. */
export const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The DDL creating every table in the quoted schema `s`, if missing. */
export function migrationSql(s: string): string {
  return `
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.meta (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE IF NOT EXISTS ${s}.runs (
      project text NOT NULL, uid text NOT NULL, iteration integer NOT NULL,
      name text, state text, start_ms bigint, updated_ms bigint NOT NULL,
      labels jsonb NOT NULL, body jsonb NOT NULL,
      PRIMARY KEY (project, uid, iteration));
    CREATE INDEX IF NOT EXISTS runs_start ON ${s}.runs (start_ms);
    CREATE INDEX IF NOT EXISTS runs_project_start ON ${s}.runs (project, start_ms);
    CREATE INDEX IF NOT EXISTS runs_name ON ${s}.runs (name);
    CREATE INDEX IF NOT EXISTS runs_state ON ${s}.runs (state);
    CREATE INDEX IF NOT EXISTS runs_uid ON ${s}.runs (uid);
    CREATE INDEX IF NOT EXISTS runs_labels ON ${s}.runs USING gin (labels);
    CREATE TABLE IF NOT EXISTS ${s}.log_heads (
      project text NOT NULL, uid text NOT NULL, size bigint NOT NULL, PRIMARY KEY (project, uid));
    CREATE TABLE IF NOT EXISTS ${s}.log_chunks (
      project text NOT NULL, uid text NOT NULL, start bigint NOT NULL, data bytea NOT NULL,
      PRIMARY KEY (project, uid, start));
    CREATE TABLE IF NOT EXISTS ${s}.feature_sets (
      project text NOT NULL, name text NOT NULL, tag text NOT NULL, updated_ms bigint NOT NULL, body jsonb NOT NULL,
      PRIMARY KEY (project, name, tag));
    CREATE TABLE IF NOT EXISTS ${s}.locks (name text PRIMARY KEY, holder text NOT NULL, expires_ms bigint NOT NULL);
    CREATE TABLE IF NOT EXISTS ${s}.schedules (
      project text NOT NULL, name text NOT NULL, updated_ms bigint NOT NULL, body jsonb NOT NULL,
      PRIMARY KEY (project, name));
    ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS heartbeat_ms bigint;
    ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS stale_ms bigint;
    CREATE INDEX IF NOT EXISTS runs_stale ON ${s}.runs (stale_ms);
    ALTER TABLE ${s}.runs ADD COLUMN IF NOT EXISTS abort_ms bigint;`;
}

/** A URL for messages: the user-info password and a `password` query parameter become `***`. */
export function safeUrl(url: string): string {
  return redactUrl(url).replace(/([?&]password=)[^&#]*/g, '$1***');
}

/** The password of a URL (user info or `?password=`), raw and decoded, to scrub from messages. */
export function secretsOf(url: string): string[] {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#:@]*:([^/?#@]*)@/.exec(url);
  const out: string[] = [];
  if (m?.[1]) out.push(m[1]);
  const q = /[?&]password=([^&#]*)/.exec(url);
  if (q?.[1]) out.push(q[1]);
  for (const s of [...out]) {
    try {
      out.push(decodeURIComponent(s));
    } catch {
      // not percent-encoded
    }
  }
  return out;
}

/** Splits a `?schema=` parameter off a PostgreSQL URL (pg would pass unknown parameters on). */
export function splitSchemaParam(url: string): { url: string; schema: string | undefined } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SpecError(`run db URL ${safeUrl(url)} is not a valid URL; expected postgres://user:password@host:5432/db?schema=sluice`);
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  return { url: u.toString(), schema };
}

