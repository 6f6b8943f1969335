import { readFile, stat } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import { NotFoundError, SluiceError, SpecError, errorMessage } from '../errors.js';
import { registerAssets } from './assets.js';
import { authMiddleware } from './auth.js';
import { featureSetPage, featureSetsPage } from './pages/feature-set-pages.js';
import { errorBody, layout } from './pages/layout.js';
import { runPage } from './pages/run-page.js';
import { runsPage } from './pages/runs-page.js';
import { onlinePage, schedulesPage } from './pages/schedules-online-pages.js';
import { findArtifact } from '../run/artifact-record.js';
import type { ArtifactRecord } from '../model/run-status.js';
import { isTerminal } from './run-view.js';
import { ingestOutcome } from './ui-context.js';
import { featureSetOf, listRunPage, partitionTree, rowsPerRun, runDetail, scheduleViews, statusTargets, targetManifests, type RunQuery } from './ui-data.js';
import type { UiOptions } from './ui-options.js';

function runQuery(c: Context): RunQuery {
  const q: RunQuery = {};
  for (const k of ['project', 'state', 'name', 'limit', 'after'] as const) {
    const v = c.req.query(k);
    if (v) q[k] = v;
  }
  const labels = c.req.queries('label');
  if (labels?.length) q.label = labels;
  return q;
}

function status(err: unknown): 400 | 404 | 409 | 500 {
  if (err instanceof SluiceError && err.code === 'CONFLICT') return 409;
  return err instanceof NotFoundError ? 404 : err instanceof SpecError ? 400 : 500;
}

/**
 * The dashboard as a Hono app: pages under `/`, a JSON API under `/api/`, static assets under `/assets/`.
 * Only state: the run db (and the functions the CLI wires in for online look-ups and "run now").
 *
 * @example
 * const app = createUiApp({ db: await openRunDB() });
 * const res = await app.request('/api/runs?state=error');
 */
export function createUiApp(o: UiOptions): Hono {
  const app = new Hono();
  const now = o.now ?? (() => new Date());
  app.onError((err, c) => {
    const msg = errorMessage(err);
    if (c.req.path.startsWith('/api/')) return c.json({ error: msg }, status(err));
    return c.html(layout('Error', errorBody(msg)), status(err));
  });
  registerAssets(app);
  app.use('*', authMiddleware(o.authToken));

  // JSON API
  app.get('/api/runs', async (c) => c.json(await listRunPage(o, runQuery(c))));
  app.get('/api/runs/:project/:uid', async (c) => {
    const d = await runDetail(o, c.req.param('project'), c.req.param('uid'));
    return c.json({ ...d.run, children: d.children, targets: await ingestOutcome(o, d.run) });
  });
  app.get('/api/runs/:project/:uid/log', async (c) => {
    const project = c.req.param('project');
    const uid = c.req.param('uid');
    const offset = Number(c.req.query('offset') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) throw new SpecError(`offset=${JSON.stringify(c.req.query('offset'))} is not valid; expected a byte offset (an integer >= 0)`);
    // State first: a run that is terminal now has written its whole log before this read.
    const run = await o.db.readRun(uid, { project });
    const slice = await o.db.getLog(uid, { project, offset });
    const state = run?.status?.state ?? 'unknown';
    return c.json({ ...slice, state, terminal: isTerminal(state) });
  });
  app.get('/api/runs/:project/:uid/artifacts/:key', async (c) => {
    const { run } = await runDetail(o, c.req.param('project'), c.req.param('uid'));
    const key = c.req.param('key');
    // A record in MLRun's shape (`metadata.key`, `spec.target_path`) or Sluice's older flat one.
    const a = findArtifact(Array.isArray(run.status?.artifacts) ? (run.status.artifacts as ArtifactRecord[]) : [], key);
    const path = a?.path.replace(/^file:\/\//, '');
    if (!path || /^[a-z][a-z0-9+.-]+:\/\//i.test(path)) throw new NotFoundError(`artifact ${key} of run ${run.metadata.uid}: no local file to serve`);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) throw new NotFoundError(`artifact ${key} of run ${run.metadata.uid}: ${path} does not exist`);
    const name = path.split('/').pop() ?? key;
    if (!c.req.query('download') && o.previewParquet && /\.(parquet|pq)$/i.test(name)) {
      return c.json({ path, rows: await o.previewParquet(path, 20) });
    }
    if (c.req.query('download') || st.size > 1_000_000 || !/\.(csv|json|jsonl|txt|yaml|yml|md)$/i.test(name)) {
      return c.body(await readFile(path), 200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"` });
    }
    return c.text(await readFile(path, 'utf8'), 200, { 'x-content-type-options': 'nosniff' });
  });
  app.get('/api/feature-sets', async (c) => c.json(await o.db.listFeatureSets({ ...(c.req.query('project') ? { project: c.req.query('project') } : {}) })));
  app.get('/api/feature-sets/:project/:name', async (c) => {
    const fs = await featureSetOf(o, c.req.param('project'), c.req.param('name'));
    return c.json({ ...fs, rows_per_run: await rowsPerRun(o, c.req.param('project'), c.req.param('name')) });
  });
  app.get('/api/feature-sets/:project/:name/partitions', async (c) => {
    const fs = await featureSetOf(o, c.req.param('project'), c.req.param('name'));
    const out: Record<string, unknown> = {};
    for (const t of statusTargets(fs)) out[String(t.name)] = partitionTree(await targetManifests(o, t));
    return c.json(out);
  });
  // Abort from the page (same rules as `sluice runs abort`): the running process sees the request at its next
  // heartbeat and aborts through its signal; a run with no live process is marked aborted at once.
  app.post('/api/runs/:project/:uid/abort', async (c) => c.json({ state: await o.db.abortRun(c.req.param('uid'), { project: c.req.param('project') }) }));
  app.get('/api/schedules', async (c) => c.json(await scheduleViews(o)));
  app.post('/api/schedules/:project/:name/run', async (c) => {
    if (!o.runSchedule) throw new SluiceError('NOT_SUPPORTED', 'run now: this server has no scheduler wired in; start it with `sluice ui`');
    const project = c.req.param('project');
    const name = c.req.param('name');
    const dict = (await o.db.listSchedules({ project })).find((d) => d.name === name);
    if (!dict) throw new NotFoundError(`schedule ${name} is not in project ${project}`);
    return c.json(await o.runSchedule(dict));
  });
  app.get('/api/online/:project/:name', async (c) => {
    if (!o.onlineLookup) throw new SluiceError('NOT_SUPPORTED', 'online look-up: this server has no online reader wired in; start it with `sluice ui`');
    const key = c.req.query('key');
    if (!key) throw new SpecError('online look-up: give the entity key as ?key=');
    const fs = await featureSetOf(o, c.req.param('project'), c.req.param('name'));
    return c.json(await o.onlineLookup(fs, key, c.req.query('target')));
  });
  app.all('/api/*', (c) => c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404));

  // Pages
  app.get('/', async (c) => {
    const q = runQuery(c);
    return c.html(layout('Runs', runsPage(await listRunPage(o, q), q)));
  });
  app.get('/runs/:project/:uid', async (c) => {
    const project = c.req.param('project');
    const { run } = await runDetail(o, project, c.req.param('uid'));
    const log = await o.db.getLog(run.metadata.uid, { project });
    return c.html(layout(run.metadata.name ?? run.metadata.uid, runPage(run, log, await ingestOutcome(o, run), now()), { charts: true }));
  });
  app.get('/feature-sets', async (c) => c.html(layout('Feature sets', featureSetsPage(await o.db.listFeatureSets()))));
  app.get('/feature-sets/:project/:name', async (c) => {
    const project = c.req.param('project');
    const name = c.req.param('name');
    const fs = await featureSetOf(o, project, name);
    const trees = [];
    for (const t of statusTargets(fs)) {
      const manifests = await targetManifests(o, t).catch(() => undefined);
      const online = /^rediss?:/.test(String(t.path)) || String(t.kind).startsWith('redis');
      trees.push({ target: String(t.name), online, tree: manifests ? partitionTree(manifests) : undefined });
    }
    return c.html(layout(name, featureSetPage(fs, await rowsPerRun(o, project, name), trees), { charts: true }));
  });
  app.get('/schedules', async (c) => c.html(layout('Schedules', schedulesPage(await scheduleViews(o), o.runSchedule !== undefined))));
  app.get('/online', async (c) => {
    const list = await o.db.listFeatureSets();
    const q = { fs: c.req.query('fs'), key: c.req.query('key') };
    let result: { rows?: Record<string, unknown>[]; error?: string } | undefined;
    if (q.fs && q.key && o.onlineLookup) {
      const [project = '', name = ''] = q.fs.split('/');
      try {
        result = { rows: await o.onlineLookup(await featureSetOf(o, project, name), q.key) };
      } catch (err) {
        result = { error: errorMessage(err) };
      }
    }
    return c.html(layout('Online', onlinePage(list, q, result, o.onlineLookup !== undefined)));
  });
  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: `not found: ${c.req.path}` }, 404) : c.html(layout('Not found', errorBody(`no page ${c.req.path}`)), 404)));
  return app;
}
