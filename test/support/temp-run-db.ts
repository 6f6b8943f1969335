import { join } from 'node:path';
import type { RunDB } from '../../src/run/db/run-db.js';
import { SqliteRunDB } from '../../src/run/db/sqlite-run-db.js';
import { tmpDir } from './tmp-dir.js';

/** A fresh temporary folder with a SQLite run db in it, and one function that closes the db and removes both. */
export async function tempRunDB(): Promise<{ dir: string; db: RunDB; done: () => Promise<void> }> {
  const { dir, cleanup } = await tmpDir();
  const db = new SqliteRunDB({ path: join(dir, 'runs.db') });
  return {
    dir,
    db,
    done: async () => {
      await db.close();
      await cleanup();
    },
  };
}
