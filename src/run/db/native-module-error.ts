/**
 * The fix for a SQLite run db whose native module (better-sqlite3) is missing or built for another Node.js, as
 * one line; undefined for any other error. better-sqlite3 builds from source where no prebuilt binary can be
 * downloaded, and `npm install --ignore-scripts` skips that build.
 */
export function missingNativeModule(path: string, err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (!/bindings file|better_sqlite3\.node|NODE_MODULE_VERSION/.test(message)) return undefined;
  const first = message.split('\n')[0]?.trim() ?? '';
  return (
    `run db ${path}: the SQLite run db needs better-sqlite3's native module, which is not built for this Node.js (${first}); ` +
    'build it with `npm rebuild better-sqlite3` (it compiles from source when no prebuilt binary downloads: needs python3, make and a C++ compiler), ' +
    'or use a PostgreSQL run db, which needs no native module: SLUICE_DB=postgres://user@host:5432/db (or --db)'
  );
}
