import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposureWarning } from '../../src/cli/commands/ui.js';
import { CLI, ensureBuilt } from '../support/cli.js';
import { tmpDir } from '../support/tmp-dir.js';
import { startUiProcess } from '../support/ui-server.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir('sluice-ui-cli-'));
});
afterAll(async () => cleanup?.());

describe('sluice ui', () => {
  it('with --auth-token refuses pages and API calls without it and serves them with it', async () => {
    const ui = await startUiProcess(dir, ['--auth-token', 'tok-123']);
    try {
      expect((await fetch(`${ui.url}/api/runs`)).status).toBe(401);
      expect((await fetch(`${ui.url}/`)).status).toBe(401);
      const ok = await fetch(`${ui.url}/api/runs`, { headers: { authorization: 'Bearer tok-123' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ runs: [], next: null });
      const run = await fetch(`${ui.url}/api/schedules/default/nightly/run`, { method: 'POST' });
      expect(run.status).toBe(401);
    } finally {
      await ui.stop();
    }
  });

  it('warns when bound beyond loopback (checked without binding there), and refuses a bad port naming it', async () => {
    expect(exposureWarning('0.0.0.0', false)).toMatch(/warning: listening on 0\.0\.0\.0 exposes .* without a token \(set --auth-token\)/);
    expect(exposureWarning('10.1.2.3', true)).toMatch(/warning: listening on 10\.1\.2\.3 exposes runs, logs and feature sets to the network\n$/);
    for (const h of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(exposureWarning(h, false)).toBeUndefined();
    const bad = spawn(process.execPath, [CLI, 'ui', '--port', '70000'], { cwd: dir });
    let badErr = '';
    bad.stderr.on('data', (d: Buffer) => (badErr += d.toString()));
    const code = await new Promise((res) => bad.once('exit', res));
    expect(code).not.toBe(0);
    expect(badErr).toMatch(/"70000" is not a TCP port/);
  });
});
