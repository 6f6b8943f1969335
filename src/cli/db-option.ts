import type { Command } from 'commander';
import { openRunDB } from '../run/db/open-run-db.js';
import type { RunDB } from '../run/db/run-db.js';

/** Opens the run db named by the global `--db` option (else `SLUICE_DB`, else `.sluice/runs.db`). */
export function openDbFor(cmd: Command): Promise<RunDB> {
  const url = (cmd.optsWithGlobals() as { db?: string }).db;
  return openRunDB(url ? { url } : {});
}

/** Runs `fn` with the run db open, and closes it afterwards. */
export async function withDb<T>(cmd: Command, fn: (db: RunDB) => Promise<T>): Promise<T> {
  const db = await openDbFor(cmd);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
