import { SpecError } from '../../errors.js';
import { redactUrl } from '../../util/redact.js';
import type { Clock } from '../../util/time.js';
import { PostgresRunDB } from './postgres-run-db.js';
import type { RunDB } from './run-db.js';
import { DEFAULT_SQLITE_PATH, SqliteRunDB } from './sqlite-run-db.js';

/** Options of {@link openRunDB}. */
export interface OpenRunDBOptions {
  /** Where the run db is; default the `SLUICE_DB` environment variable, then `<cwd>/.sluice/runs.db`. */
  url?: string;
  /** Base of relative SQLite paths; default `process.cwd()`. */
  cwd?: string;
  /** Environment to read `SLUICE_DB` from; default `process.env`. */
  env?: Record<string, string | undefined>;
  clock?: Clock;
}

const ACCEPTED =
  'expected postgres://user:password@host:5432/db[?schema=sluice], postgresql://..., sqlite:<path>, sqlite::memory: or a file path';

/**
 * Opens the run db named by `url` or `SLUICE_DB`: `postgres://` and `postgresql://` URLs open a
 * {@link PostgresRunDB} (schema from `?schema=`, default `sluice`); `sqlite:<path>` or a plain file path opens a
 * {@link SqliteRunDB}; nothing opens `<cwd>/.sluice/runs.db`. Any other scheme is a `SpecError`; passwords in
 * URLs never appear in messages.
 *
 * @example
 * const db = await openRunDB({ url: 'postgres://sluice:secret@db:5432/runs?schema=team_a' });
 */
export async function openRunDB(opts: OpenRunDBOptions = {}): Promise<RunDB> {
  const env = opts.env ?? process.env;
  const raw = (opts.url ?? env.SLUICE_DB ?? '').trim();
  const common = { cwd: opts.cwd, clock: opts.clock };
  if (raw === '') return new SqliteRunDB({ ...common, path: DEFAULT_SQLITE_PATH });
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return PostgresRunDB.connect({ url: raw, clock: opts.clock });
  }
  if (scheme === 'sqlite') {
    let path = raw.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new SpecError(`SLUICE_DB: ${JSON.stringify(raw)} has no file path; ${ACCEPTED}`);
    return new SqliteRunDB({ ...common, path });
  }
  // A one-letter scheme is a Windows drive (C:\runs.db), i.e. a file path.
  if (scheme !== undefined && scheme.length > 1) {
    throw new SpecError(`SLUICE_DB: ${JSON.stringify(redactUrl(raw))} has an unsupported scheme "${scheme}:"; ${ACCEPTED}`);
  }
  return new SqliteRunDB({ ...common, path: raw });
}
