import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string; license: string };
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
});
afterAll(async () => cleanup());

describe('sluice --version and the licence', () => {
  it('--version and -V print the package.json version, from any directory', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await sluice([flag], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('LICENSE holds the full Apache-2.0 text that package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(new URL('LICENSE', root), 'utf8');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });
});
