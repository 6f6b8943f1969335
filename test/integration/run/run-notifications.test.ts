import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/run/run-task.js';
import { SqliteRunDB } from '../../../src/run/db/sqlite-run-db.js';
import type { RunDB } from '../../../src/run/db/run-db.js';
import { newTask } from '../../../src/model/new-task.js';
import { Notification } from '../../../src/model/notification.js';
import { createNotifier } from '../../../connectors/webhook/index.js';
import { tmpDir } from '../../support/tmp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
const bodies: unknown[] = [];
const server = createServer((req, res) => {
  let data = '';
  req.on('data', (c) => (data += c));
  req.on('end', () => {
    bodies.push({ url: req.url, body: JSON.parse(data) });
    res.writeHead(200).end('ok');
  });
});

beforeEach(async () => {
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
  bodies.length = 0;
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
});
afterEach(async () => {
  await new Promise((res) => server.close(res));
  await db.close();
  await cleanup();
});

describe('run notifications', () => {
  it('sends console and webhook notifications by when and condition and records delivery on the run', async () => {
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/hook/s3cr3t-token`;
    const task = newTask({ name: 'notify', project: 'n' });
    task.spec.notifications = [
      new Notification({ kind: 'console', name: 'done', message: 'training finished' }),
      new Notification({ kind: 'webhook', name: 'good', when: ['completed'], condition: 'run.status.results.accuracy > 0.8', secretParams: { url } }),
      new Notification({ kind: 'webhook', name: 'bad-only', when: ['error'], params: { url: `http://127.0.0.1:${port}/public` } }),
      new Notification({ kind: 'webhook', name: 'never', condition: 'run.status.results.accuracy > 0.95', params: { url: `http://127.0.0.1:${port}/public` } }),
    ];
    const lines: string[] = [];
    const r = await run(task, () => ({ accuracy: 0.9 }), { db, cwd: dir, notifiers: [createNotifier()], notifyLogger: (l) => lines.push(l) });
    expect(await r.state()).toBe('completed');
    expect(lines.join('\n')).toMatch(/run notify \([0-9a-f]+\) completed: training finished/);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ url: '/hook/s3cr3t-token', body: { run: { metadata: { uid: r.uid }, status: { state: 'completed', results: { accuracy: 0.9 } } } } });
    const n = r.status.notifications ?? {};
    expect(n.done?.status).toBe('sent');
    expect(n.good?.status).toBe('sent');
    expect(n['bad-only']).toBeUndefined();
    expect(n.never).toBeUndefined();
    expect(JSON.stringify(await db.readRun(r.uid, { project: 'n' }))).not.toContain('s3cr3t-token');
  });

  it('notifies on error and records a failed delivery without failing the run differently', async () => {
    const task = newTask({ name: 'notify-err' });
    task.spec.notifications = [
      new Notification({ kind: 'webhook', name: 'oncall', when: ['error'], params: { url: 'http://127.0.0.1:9/nothing-listens', retries: 0 } }),
    ];
    const r = await run(task, () => {
      throw new Error('kaput');
    }, { db, cwd: dir, notifiers: [createNotifier()], notifyLogger: () => undefined });
    expect(await r.state()).toBe('error');
    expect(r.status.notifications?.oncall?.status).toBe('error');
    expect(r.status.notifications?.oncall?.reason).toBeTruthy();
  });

  it('sends `when: running` when the run starts, before the handler, and a Jinja condition at the end (#10)', async () => {
    const port = (server.address() as AddressInfo).port;
    const task = newTask({ name: 'notify-start', project: 'n' });
    task.spec.notifications = [
      new Notification({ kind: 'console', name: 'started', when: ['running'], message: 'go' }),
      new Notification({
        kind: 'webhook',
        name: 'both',
        when: ['running', 'completed'],
        condition: '{{ run["status"]["results"]["accuracy"] > 0.8 }}',
        params: { url: `http://127.0.0.1:${port}/both` },
      }),
      new Notification({ kind: 'webhook', name: 'low', condition: '{{ run.status.results.accuracy < 0.5 }}', params: { url: `http://127.0.0.1:${port}/low` } }),
    ];
    const lines: string[] = [];
    let seenByHandler: { lines: number; bodies: unknown[] } | undefined;
    const r = await run(task, () => {
      seenByHandler = { lines: lines.length, bodies: [...bodies] };
      return { accuracy: 0.9 };
    }, { db, cwd: dir, notifiers: [createNotifier()], notifyLogger: (l) => lines.push(l) });
    expect(await r.state()).toBe('completed');
    expect(seenByHandler?.lines).toBe(1);
    expect(lines[0]).toMatch(/run notify-start \([0-9a-f]+\) running: go/);
    expect(seenByHandler?.bodies).toEqual([expect.objectContaining({ url: '/both', body: expect.objectContaining({ run: expect.objectContaining({ status: expect.objectContaining({ state: 'running' }) }) }) })]);
    // "both" went out again on completion (its condition holds); "low" did not (0.9 is not < 0.5)
    expect(bodies.map((b) => (b as { url: string }).url)).toEqual(['/both', '/both']);
    const n = r.status.notifications ?? {};
    expect(n.started?.toDict()).toMatchObject({ status: 'sent', run_state: 'running' });
    expect(n.both?.toDict()).toEqual({ status: 'sent', sent_time: expect.any(String) });
    expect(n.low).toBeUndefined();
  });
});
