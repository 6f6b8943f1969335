import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunObject } from '../../../src/run/run-object.js';
import { runPageUrl } from '../../../src/run/run-page-url.js';
import { formatRunSummary } from '../../../src/run/run-summary.js';

const rec = { metadata: { uid: 'abc 1', project: 'p/x', name: 'n' }, status: { state: 'completed' as const } };

afterEach(() => vi.unstubAllEnvs());

describe('run page URL (SLUICE_UI_URL)', () => {
  it('links uiUrl, show() and the summary to the dashboard run page when SLUICE_UI_URL is set', () => {
    vi.stubEnv('SLUICE_UI_URL', 'http://127.0.0.1:8520/');
    expect(runPageUrl('p/x', 'abc 1')).toBe('http://127.0.0.1:8520/runs/p%2Fx/abc%201');
    const r = RunObject.fromRecord(rec);
    expect(r.uiUrl).toBe('http://127.0.0.1:8520/runs/p%2Fx/abc%201');
    let out = '';
    r.show((t) => (out += t));
    expect(out).toMatch(/^ui\s+http:\/\/127\.0\.0\.1:8520\/runs\/p%2Fx\/abc%201$/m);
  });

  it('keeps the CLI hint and prints no ui line without it', () => {
    vi.stubEnv('SLUICE_UI_URL', '');
    expect(runPageUrl('p', 'u')).toBeUndefined();
    expect(RunObject.fromRecord(rec).uiUrl).toBe('sluice runs show abc 1 --project p/x');
    expect(formatRunSummary(rec)).not.toMatch(/^ui /m);
  });
});
