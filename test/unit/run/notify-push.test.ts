import { describe, expect, it } from 'vitest';
import { Notification } from '../../../src/model/notification.js';
import { SpecError } from '../../../src/errors.js';
import { SecretsStore } from '../../../src/run/secrets.js';
import {
  applyDeliveries,
  consoleLine,
  consoleNotifier,
  defaultNotifiers,
  pushNotifications,
  resolveNotificationParams,
  retryDelay,
  sleepFor,
} from '../../../src/run/notify/index.js';
import type { NotifiableRun, Notifier } from '../../../src/run/notify/index.js';

const clock = (): Date => new Date('2024-05-01T12:00:00Z');

function run(state: string, status: Record<string, unknown> = {}): NotifiableRun {
  return { metadata: { uid: 'abc123', name: 'ingest-sales', project: 'p', iteration: 0 }, spec: {}, status: { state, ...status } };
}

/** A notifier that records what it was asked to send, or fails with `failWith`. */
function recorder(kind: string, failWith?: string): Notifier & { seen: string[] } {
  const seen: string[] = [];
  return {
    kind,
    seen,
    notify(_run, n) {
      seen.push(n.name);
      return failWith === undefined ? Promise.resolve() : Promise.reject(new Error(failWith));
    },
  };
}

describe('console notifier', () => {
  it('writes one line with severity, run, state and message', async () => {
    const lines: string[] = [];
    await consoleNotifier().notify(run('completed'), new Notification({ message: 'rows written' }), { logger: (l) => lines.push(l) });
    expect(lines).toEqual(['[sluice] [info] run ingest-sales (abc123) completed: rows written']);
  });

  it('adds the error in error state, keeps one line and hides secrets', () => {
    const n = new Notification({ severity: 'error', when: ['error'] });
    const r = run('error', { error: 'connect failed\npassword=hunter2' });
    expect(consoleLine(r, n, ['hunter2'])).toBe('[sluice] [error] run ingest-sales (abc123) error: run failed; error: connect failed\\npassword=***');
    const child: NotifiableRun = { metadata: { uid: 'u9', name: 'sweep', iteration: 3 }, status: { state: 'completed' } };
    expect(consoleLine(child, new Notification())).toBe('[sluice] [info] run sweep (u9, iter 3) completed: run completed');
  });
});

describe('pushNotifications', () => {
  it('sends due notifications and records them by name', async () => {
    const lines: string[] = [];
    const hook = recorder('webhook');
    const notes = [
      new Notification({ name: 'done', message: 'ok' }),
      new Notification({ name: 'failures', when: ['error'] }),
      new Notification({ kind: 'webhook', name: 'hook', params: { url: 'http://127.0.0.1:9/x' } }),
      new Notification({ name: 'already', status: 'sent' }),
    ];
    const out = await pushNotifications(run('completed'), notes, defaultNotifiers([hook]), { logger: (l) => lines.push(l), clock });
    expect(out).toEqual({
      done: { status: 'sent', sent_time: '2024-05-01T12:00:00.000+00:00' },
      hook: { status: 'sent', sent_time: '2024-05-01T12:00:00.000+00:00' },
    });
    expect(hook.seen).toEqual(['hook']);
    expect(lines).toEqual(['[sluice] [info] run ingest-sales (abc123) completed: ok']);
  });

  it('records a failure with a redacted reason instead of throwing', async () => {
    const secrets = new SecretsStore({ env: {} }).addSource('inline', { TOKEN: 's3cr3t-token' });
    const logs: string[] = [];
    const failing = recorder('webhook', 'POST https://h.example/s3cr3t-token refused; header sk-live-999');
    const n = new Notification({ kind: 'webhook', name: 'hook', secretParams: { url: 'https://h.example/a', headers: { Authorization: 'sk-live-999' } } });
    const out = await pushNotifications(run('completed'), [n], defaultNotifiers([failing]), { secrets, clock, logger: (l) => logs.push(l) });
    expect(out.hook?.status).toBe('error');
    expect(out.hook?.reason).toBe('POST https://h.example/*** refused; header ***');
    expect(logs.join('\n')).not.toMatch(/s3cr3t|sk-live/);
    expect(logs[0]).toContain('notification "hook" (webhook) was not delivered');
  });

  it('records an unknown kind as an error naming the known kinds', async () => {
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: 'http://127.0.0.1:9/x' } });
    const out = await pushNotifications(run('completed'), [n], undefined, { clock });
    expect(out.hook).toEqual({ status: 'error', sent_time: '2024-05-01T12:00:00.000+00:00', reason: expect.stringContaining('no notifier for kind "webhook"; known kinds: console') });
  });

  it('records a condition that cannot be evaluated as an error and does not send (#10)', async () => {
    const n = new Notification({ name: 'ops' });
    n.condition = '{{ run.status.results.accuracy > }}';
    const a = recorder('console');
    const logs: string[] = [];
    const out = await pushNotifications(run('completed'), [n], defaultNotifiers([a]), { clock, logger: (l) => logs.push(l) });
    expect(a.seen).toEqual([]);
    expect(out.ops).toEqual({ status: 'error', sent_time: '2024-05-01T12:00:00.000+00:00', reason: expect.stringMatching(/^condition could not be evaluated, not sent: /) });
    expect(logs[0]).toContain('notification "ops" (console) was not delivered');
  });

  it('marks a delivery made while the run is running, so that a later listed state still sends (#10)', async () => {
    const n = new Notification({ name: 'ops', when: ['running', 'completed'] });
    const started = await pushNotifications(run('running'), [n], defaultNotifiers(), { clock, logger: () => {} });
    expect(started.ops).toEqual({ status: 'sent', sent_time: '2024-05-01T12:00:00.000+00:00', run_state: 'running' });
    const ended = await pushNotifications(applyDeliveries(run('completed'), started), [n], defaultNotifiers(), { clock, logger: () => {} });
    expect(ended.ops).toEqual({ status: 'sent', sent_time: '2024-05-01T12:00:00.000+00:00' });
  });

  it('refuses duplicate names and sends nothing once aborted', async () => {
    const a = recorder('console');
    await expect(pushNotifications(run('completed'), [new Notification({ name: 'x' }), new Notification({ name: 'x' })], defaultNotifiers([a]))).rejects.toThrow(SpecError);
    const ctl = new AbortController();
    ctl.abort();
    expect(await pushNotifications(run('completed'), [new Notification()], defaultNotifiers([a]), { signal: ctl.signal })).toEqual({});
    expect(a.seen).toEqual([]);
  });

  it('merges deliveries into a copy of the run', () => {
    const r = run('completed', { notifications: { old: { status: 'sent' } } });
    const merged = applyDeliveries(r, { console: { status: 'error', sent_time: 't', reason: 'r' } });
    expect(merged.status?.notifications).toEqual({ old: { status: 'sent' }, console: { status: 'error', sent_time: 't', reason: 'r' } });
    expect(r.status?.notifications).toEqual({ old: { status: 'sent' } });
  });
});

describe('resolveNotificationParams', () => {
  it('overlays secret params on params and collects secret strings', () => {
    const n = new Notification({ kind: 'webhook', params: { url: 'http://a.example/1', method: 'PUT', retries: 1 }, secretParams: { url: 'http://b.example/tok', headers: { X: 'k1' } } });
    const r = resolveNotificationParams(n);
    expect(r.params).toEqual({ url: 'http://b.example/tok', method: 'PUT', retries: 1, headers: { X: 'k1' } });
    expect([...r.secretKeys]).toEqual(['url', 'headers']);
    expect(r.secretValues).toEqual(['http://b.example/tok', 'k1']);
  });

  it('reads a `secret` reference from the secrets as a JSON map', () => {
    const secrets = new SecretsStore({ env: {} }).addSource('inline', { HOOK: '{"url":"https://h.example/zz"}', BAD: 'not json', LIST: '[1]' });
    const n = (ref: string): Notification => new Notification({ kind: 'webhook', secretParams: { secret: ref } });
    expect(resolveNotificationParams(n('HOOK'), secrets).params).toEqual({ url: 'https://h.example/zz' });
    expect(() => resolveNotificationParams(n('MISSING'), secrets)).toThrow(/refers to secret "MISSING", which the run's secrets do not have/);
    expect(() => resolveNotificationParams(n('BAD'), secrets)).toThrow(/secret "BAD" is not JSON/);
    expect(() => resolveNotificationParams(n('LIST'), secrets)).toThrow(/secret "LIST" is not a JSON map/);
    expect(() => resolveNotificationParams(n('BAD'), secrets)).not.toThrow(/not json/);
  });
});

describe('backoff', () => {
  it('doubles from the base', () => {
    expect([1, 2, 3].map((n) => retryDelay(n, 200))).toEqual([200, 400, 800]);
  });

  it('sleeps and stops when aborted', async () => {
    const t0 = Date.now();
    await sleepFor(20);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    const ctl = new AbortController();
    const p = sleepFor(10_000, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toThrow(/aborted/);
  });
});
