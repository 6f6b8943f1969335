import pg from 'pg';

/** A connection held for one operation; `release(true)` closes it instead of returning it to a pool. */
export interface PgLease {
  readonly client: pg.ClientBase;
  release(destroy: boolean): Promise<void>;
}

/** Where a source gets its connections: a caller-owned pool, or a fresh client per operation. */
export interface PgConnectOptions {
  /** A pool the caller owns (and ends); without it each read opens and closes its own connection. */
  pool?: pg.Pool;
  /** Milliseconds to wait for a new connection (default 30,000). */
  connectTimeoutMs?: number;
}

/**
 * Takes a connection: from `o.pool` when given, else a new `pg.Client` for `connectionString`. The lease
 * returns the connection exactly once (`release(true)` destroys it: after an error or a cancelled query).
 */
export async function leaseConnection(connectionString: string, o: PgConnectOptions = {}): Promise<PgLease> {
  if (o.pool) {
    const c = await o.pool.connect();
    let done = false;
    return {
      client: c,
      release: async (destroy) => {
        if (done) return;
        done = true;
        c.release(destroy ? true : undefined);
      },
    };
  }
  const c = new pg.Client({ connectionString, connectionTimeoutMillis: o.connectTimeoutMs ?? 30_000 });
  // A dropped connection also rejects the pending query; without a listener the event would crash the process.
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch (err) {
    await c.end().catch(() => undefined);
    throw err;
  }
  let done = false;
  return {
    client: c,
    release: async () => {
      if (done) return;
      done = true;
      await c.end().catch(() => undefined);
    },
  };
}
