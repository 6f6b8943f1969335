import type { RunDB, RunDict } from '../../src/run/db/run-db.js';

export const XSS_NAME = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

/** A finished sweep: parent with the iteration table and best_iteration 2, three children. */
export function sweepRun(project: string, uid: string): RunDict[] {
  const rows = [
    ['completed', 1, 0.1, 0.71],
    ['completed', 2, 0.2, 0.93],
    ['completed', 3, 0.3, 0.85],
  ];
  const parent: RunDict = {
    metadata: { uid, name: 'train-sweep', project, labels: { kind: 'sweep' } },
    spec: { parameters: {}, hyper_param_options: { strategy: 'grid' }, selector: 'max.accuracy' },
    status: {
      state: 'completed',
      start_time: '2026-01-02T10:00:00Z',
      results: { accuracy: 0.93, best_iteration: 2 },
      iterations: [['state', 'iter', 'param.lr', 'output.accuracy'], ...rows],
    },
  };
  const children = rows.map(([state, it, lr, acc]) => ({
    metadata: { uid, name: 'train-sweep', project, iteration: it as number },
    spec: { parameters: { lr } },
    status: { state: state as string, start_time: '2026-01-02T10:00:00Z', results: { accuracy: acc } },
  }));
  return [parent, ...children];
}

/** Stores the sweep, a failed run named like an XSS attack and a running run with a log. */
export async function seedRuns(db: RunDB, project: string): Promise<{ sweep: string; xss: string; running: string }> {
  for (const r of sweepRun(project, 'sweep1')) await db.storeRun(r);
  await db.storeRun({
    metadata: { uid: 'xss1', name: XSS_NAME, project, labels: { team: '<b>red</b>' } },
    spec: { parameters: { q: '"><script>alert(1)</script>' } },
    status: { state: 'error', start_time: '2026-01-02T11:00:00Z', error: 'boom <script>alert(2)</script>' },
  });
  await db.storeLog('xss1', 'line with <script>alert(3)</script>\n', { project });
  await db.storeRun({ metadata: { uid: 'run1', name: 'ingest-users', project, labels: { kind: 'ingest' } }, status: { state: 'running', start_time: '2026-01-02T12:00:00Z' } });
  await db.storeLog('run1', 'first line\n', { project });
  return { sweep: 'sweep1', xss: 'xss1', running: 'run1' };
}
