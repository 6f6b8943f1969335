import { describe, expect, it } from 'vitest';
import { missingNativeModule } from '../../../src/run/db/native-module-error.js';

// What better-sqlite3 throws when its native module was never built (npm install --ignore-scripts, a failed build).
const NOT_BUILT = 'Could not locate the bindings file. Tried:\n → /p/node_modules/better-sqlite3/build/better_sqlite3.node\n → /p/node_modules/better-sqlite3/build/Debug/better_sqlite3.node';
const WRONG_NODE = "The module '/p/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 127.";

describe('missingNativeModule', () => {
  it('turns a missing or mismatched better-sqlite3 build into one line that says how to fix it and names PostgreSQL', () => {
    for (const message of [NOT_BUILT, WRONG_NODE]) {
      const text = missingNativeModule('/p/.sluice/runs.db', new Error(message));
      expect(text).toBeDefined();
      expect(text).not.toContain('\n');
      expect(text).toMatch(/^run db \/p\/\.sluice\/runs\.db: the SQLite run db needs better-sqlite3's native module, which is not built for this Node\.js \(/);
      expect(text).toContain('npm rebuild better-sqlite3');
      expect(text).toContain('SLUICE_DB=postgres://');
      expect(text).toContain('needs no native module');
    }
  });

  it('leaves other errors alone', () => {
    expect(missingNativeModule('/p/runs.db', new Error('SQLITE_CANTOPEN: unable to open database file'))).toBeUndefined();
  });
});
