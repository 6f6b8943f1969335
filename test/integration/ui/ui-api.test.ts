import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunDB } from '../../../src/run/db/postgres-run-db.js';
import type { RunDB } from '../../../src/run/db/run-db.js';
import { SqliteRunDB } from '../../../src/run/db/sqlite-run-db.js';
import { createUiApp } from '../../../src/ui/create-ui-app.js';
import { uiConnectors } from '../../../src/cli/commands/ui.js';
import { duckQuery } from '../../support/duckdb.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { XSS_NAME, seedRuns } from '../../support/ui-fixtures.js';

const pgSchema = uniqueName('ui');
let dir: string;
let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ dir, cleanup } = await tmpDir('sluice-ui-api-'));
});
afterAll(async () => {
  await cleanup?.();
  const c = new pg.Client(services.pgUrl());
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await c.end();
});

const dbs: Array<[string, () => Promise<RunDB>]> = [
  ['SQLite', async () => new SqliteRunDB({ path: join(dir, 'runs.db') })],
  ['PostgreSQL', () => PostgresRunDB.connect({ url: services.pgUrl(), schema: pgSchema })],
];

describe.each(dbs)('ui API on %s', (_name, open) => {
  let db: RunDB;
  let project: string;
  beforeAll(async () => {
    db = await open();
    project = uniqueName('p');
    await seedRuns(db, project);
  });
  afterAll(async () => db?.close());
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON of many shapes, checked by expect
  type Json = any;
  const get = async (path: string, init?: RequestInit): Promise<{ status: number; body: Json; text: string }> => {
    const res = await createUiApp({ db }).request(path, init);
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text };
  };

  it('lists runs newest first with filters by state, name and label', async () => {
    const all = await get(`/api/runs?project=${project}`);
    expect(all.status).toBe(200);
    expect(all.body.runs.map((r: { uid: string }) => r.uid)).toEqual(['run1', 'xss1', 'sweep1']);
    expect(all.body.next).toBeNull();
    expect((await get(`/api/runs?project=${project}&state=error`)).body.runs.map((r: { uid: string }) => r.uid)).toEqual(['xss1']);
    expect((await get(`/api/runs?project=${project}&name=SWEEP`)).body.runs.map((r: { uid: string }) => r.uid)).toEqual(['sweep1']);
    expect((await get(`/api/runs?project=${project}&label=kind=ingest`)).body.runs.map((r: { uid: string }) => r.uid)).toEqual(['run1']);
    const p1 = await get(`/api/runs?project=${project}&limit=2`);
    expect(p1.body.runs).toHaveLength(2);
    const p2 = await get(`/api/runs?project=${project}&limit=2&after=${p1.body.next}`);
    expect(p2.body.runs.map((r: { uid: string }) => r.uid)).toEqual(['sweep1']);
    expect(p2.body.next).toBeNull();
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    const bad = await get(`/api/runs?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/limit="0".*1 to 500/);
    expect((await get(`/api/runs?after=zzz`)).body.error).toMatch(/after=.*not a page cursor/);
    expect((await get(`/api/runs?label=nokey`)).body.error).toMatch(/label="nokey".*key=value/);
  });

  it('returns a run with its children, and 404 for an unknown one', async () => {
    const r = await get(`/api/runs/${project}/sweep1`);
    expect(r.body.status.results.best_iteration).toBe(2);
    expect(r.body.children.map((c: { metadata: { iteration: number } }) => c.metadata.iteration)).toEqual([1, 2, 3]);
    const missing = await get(`/api/runs/${project}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('nope');
  });

  it('serves the log from an offset with the run state', async () => {
    const a = await get(`/api/runs/${project}/run1/log`);
    expect(a.body).toMatchObject({ text: 'first line\n', state: 'running', terminal: false });
    await db.storeLog('run1', 'second\n', { project });
    const b = await get(`/api/runs/${project}/run1/log?offset=${a.body.offset}`);
    expect(b.body.text).toBe('second\n');
  });

  it('renders untrusted names, labels, params, errors and logs as text (XSS)', async () => {
    const list = await get(`/?project=${project}`);
    expect(list.text).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(list.text).not.toContain(XSS_NAME);
    expect(list.text).not.toContain('<b>red</b>');
    const page = await get(`/runs/${project}/xss1`);
    expect(page.status).toBe(200);
    for (const bad of ['<script>alert', 'onerror="', '"><script>']) expect(page.text).not.toContain(bad);
    expect(page.text).toContain('boom &lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page.text).toContain('line with &lt;script&gt;alert(3)&lt;/script&gt;');
  });

  it('previews a small CSV artifact as text, downloads it on request, and 404s an artifact the run does not list', async () => {
    const file = join(dir, `${project}-data.csv`);
    await writeFile(file, 'a,b\n1,<x>\n');
    await db.storeRun({ metadata: { uid: 'art1', name: 'with-artifact', project }, status: { state: 'completed', artifacts: [{ key: 'data', kind: 'dataset', target_path: file }] } });
    const preview = await createUiApp({ db }).request(`/api/runs/${project}/art1/artifacts/data`);
    expect(preview.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await preview.text()).toBe('a,b\n1,<x>\n');
    const dl = await createUiApp({ db }).request(`/api/runs/${project}/art1/artifacts/data?download=1`);
    expect(dl.headers.get('content-disposition')).toBe(`attachment; filename="${project}-data.csv"`);
    const page = await get(`/runs/${project}/art1`);
    expect(page.text).toContain(`/api/runs/${project}/art1/artifacts/data?download=1`);
    const other = await get(`/api/runs/${project}/art1/artifacts/etc-passwd`);
    expect(other.status).toBe(404);
    expect(other.body.error).toMatch(/artifact etc-passwd of run art1/);
  });

  it('previews artifacts recorded in the MLRun shape, and a Parquet artifact as its first rows (connector wired by the CLI)', async () => {
    const csv = join(dir, `${project}-m.csv`);
    await writeFile(csv, 'a\n1\n');
    const pq = join(dir, `${project}-t.parquet`);
    await duckQuery(`COPY (SELECT 1 AS id, 'x<y' AS name UNION ALL SELECT 2, 'z') TO '${pq}' (FORMAT PARQUET)`);
    const mlrunShaped = (key: string, path: string) => ({ kind: 'dataset', metadata: { key, project, iter: 0, tree: 'art2' }, spec: { target_path: path, format: path.split('.').pop() } });
    await db.storeRun({ metadata: { uid: 'art2', name: 'mlrun-artifacts', project }, status: { state: 'completed', artifacts: [mlrunShaped('m', csv), mlrunShaped('t', pq)] } });
    expect(await (await createUiApp({ db }).request(`/api/runs/${project}/art2/artifacts/m`)).text()).toBe('a\n1\n');
    const app = createUiApp({ db, ...(await uiConnectors(db)) });
    const table = await (await app.request(`/api/runs/${project}/art2/artifacts/t`)).json();
    expect(table).toEqual({ path: pq, rows: [{ id: 1, name: 'x<y' }, { id: 2, name: 'z' }] });
    const dl = await app.request(`/api/runs/${project}/art2/artifacts/t?download=1`);
    expect(dl.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('aborts a running run from the page: a run with no live process ends aborted; a finished one is a conflict', async () => {
    await db.storeRun({ metadata: { uid: 'to-abort', project, name: 'long' }, status: { state: 'running', start_time: '2026-01-01T00:00:00+00:00' } });
    const page = await get(`/runs/${project}/to-abort`);
    expect(page.text).toContain(`data-url="/api/runs/${project}/to-abort/abort"`);
    const res = await get(`/api/runs/${project}/to-abort/abort`, { method: 'POST' });
    expect(res.body).toEqual({ state: 'aborted' });
    expect((await db.readRun('to-abort', { project }))?.status?.state).toBe('aborted');
    expect((await get(`/runs/${project}/to-abort`)).text).not.toContain('class="abort-run"');
    expect((await get(`/api/runs/${project}/to-abort/abort`, { method: 'POST' })).status).toBe(409);
  });

  it('requires the token when one is set, and sets a cookie from ?token=', async () => {
    const app = createUiApp({ db, authToken: 's3cret' });
    expect((await app.request('/api/runs')).status).toBe(401);
    expect((await app.request('/')).status).toBe(401);
    expect((await app.request('/api/runs', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await app.request(`/api/runs?project=${project}`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    const login = await app.request(`/?project=${project}&token=s3cret`);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(`/?project=${project}`);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/sluice_token=s3cret; .*HttpOnly/);
    expect((await app.request('/', { headers: { cookie: 'sluice_token=s3cret' } })).status).toBe(200);
    // Run now and abort need the token too, and a same-origin request.
    expect((await app.request(`/api/runs/${project}/x/abort`, { method: 'POST' })).status).toBe(401);
    expect((await app.request(`/api/schedules/${project}/x/run`, { method: 'POST' })).status).toBe(401);
    expect((await app.request(`/api/schedules/${project}/x/run`, { method: 'POST', headers: { origin: 'http://evil.example' } })).status).toBe(403);
  });
});
