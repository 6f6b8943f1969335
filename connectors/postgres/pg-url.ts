import { redactUrl, SpecError } from '../../src/index.js';

/** A resolved connection URL: the string to connect with, how to show it, and the values to hide. */
export interface PgUrl {
  /** Connection string, with the password from the secrets filled in; never shown. */
  connectionString: string;
  /** The URL as safe to show (password replaced by `***`). */
  display: string;
  /** Password values (plain and URL-encoded) that must never appear in a message. */
  secretValues: string[];
}

/** Where a `sql` source looks for its URL and password. */
export interface PgUrlInputs {
  dbUrl?: unknown;
  path?: string;
  /** Prefix of the secret names (`<prefix>_SQL_DB_URL`, ...), from `credentials_prefix`. */
  credentialsPrefix?: string;
  secrets?: { get(key: string): string | undefined };
  env?: Record<string, string | undefined>;
  where: string;
}

const PG_URL_RE = /^postgres(?:ql)?:\/\//i;

/**
 * Finds the database URL: `attributes.db_url`, else `path` when it is a `postgres[ql]://` URL, else the secret
 * `SQL_DB_URL`, else the environment's `SQL_DB_URL` or MLRun's `MLRUN_SQL__URL`. When the URL carries no
 * password, the secret `PG_PASSWORD` (then `POSTGRES_PASSWORD`) fills it in; without either, pg's own
 * defaults apply (`PGPASSWORD`, `~/.pgpass`, trust). Secret names take `<credentials_prefix>_` when set.
 * Throws a {@link SpecError} naming where to put the URL; messages show the URL with `***` for the password.
 */
export function resolvePgUrl(i: PgUrlInputs): PgUrl {
  const pre = i.credentialsPrefix ? `${i.credentialsPrefix}_` : '';
  const env = i.env ?? {};
  let url: string | undefined;
  let from = '';
  if (i.dbUrl !== undefined) {
    if (typeof i.dbUrl !== 'string' || i.dbUrl === '') throw new SpecError(`${i.where}: attributes.db_url ${JSON.stringify(typeof i.dbUrl === 'string' ? i.dbUrl : typeof i.dbUrl)} is not a URL; expected postgres://user@host:5432/db`);
    [url, from] = [i.dbUrl, 'attributes.db_url'];
  } else if (i.path !== undefined && i.path !== '') {
    if (!PG_URL_RE.test(i.path)) {
      throw new SpecError(`${i.where}: path ${JSON.stringify(redactUrl(i.path))} is not a postgres:// URL; put the database URL in attributes.db_url or path (postgres://user@host:5432/db)`);
    }
    [url, from] = [i.path, 'path'];
  } else {
    const secret = i.secrets?.get(`${pre}SQL_DB_URL`);
    if (secret) [url, from] = [secret, `secret ${pre}SQL_DB_URL`];
    else if (env.SQL_DB_URL) [url, from] = [env.SQL_DB_URL, 'env SQL_DB_URL'];
    else if (env.MLRUN_SQL__URL) [url, from] = [env.MLRUN_SQL__URL, 'env MLRUN_SQL__URL'];
  }
  if (url === undefined) {
    throw new SpecError(`${i.where}: no database URL; set attributes.db_url (postgres://user@host:5432/db), the secret ${pre}SQL_DB_URL, or the environment variable SQL_DB_URL`);
  }
  let parsed: URL;
  try {
    if (!PG_URL_RE.test(url)) throw new Error('not postgres');
    parsed = new URL(url);
  } catch {
    throw new SpecError(`${i.where}: ${from} ${JSON.stringify(redactUrl(url))} is not a PostgreSQL URL; expected postgres://user[:password]@host[:port]/database`);
  }
  const secretValues: string[] = [];
  if (parsed.password !== '') secretValues.push(parsed.password, safeDecode(parsed.password));
  else {
    const pw = i.secrets?.get(`${pre}PG_PASSWORD`) ?? i.secrets?.get(`${pre}POSTGRES_PASSWORD`);
    if (pw) {
      parsed.password = pw;
      secretValues.push(pw, parsed.password);
      url = parsed.toString();
    }
  }
  return { connectionString: url, display: redactUrl(url), secretValues: secretValues.filter((s) => s.length > 0) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
