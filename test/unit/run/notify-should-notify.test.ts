import { describe, expect, it } from 'vitest';
import { Notification } from '../../../src/model/notification.js';
import { decideNotification, deliveryStatus, shouldNotify } from '../../../src/run/notify/index.js';
import type { NotifiableRun } from '../../../src/run/notify/index.js';

function run(state: string, status: Record<string, unknown> = {}): NotifiableRun {
  return { metadata: { uid: 'u1', name: 'train', project: 'p', iteration: 0 }, spec: {}, status: { state, ...status } };
}

describe('shouldNotify', () => {
  it('defaults `when` to completed', () => {
    const n = new Notification({ kind: 'console' });
    expect(shouldNotify(n, run('completed'))).toBe(true);
    expect(shouldNotify(n, run('error'))).toBe(false);
    expect(shouldNotify(n, run('running'))).toBe(false);
  });

  it('sends only when a listed state equals the run state', () => {
    const n = new Notification({ when: ['error', 'aborted'] });
    expect(shouldNotify(n, run('error'))).toBe(true);
    expect(shouldNotify(n, run('aborted'))).toBe(true);
    expect(shouldNotify(n, run('completed'))).toBe(false);
    expect(shouldNotify(n, { metadata: { uid: 'u' } })).toBe(false);
  });

  it('sends only a pending notification', () => {
    for (const status of ['sent', 'error'] as const) {
      expect(shouldNotify(new Notification({ status }), run('completed'))).toBe(false);
    }
    expect(shouldNotify(new Notification({ status: 'pending' }), run('completed'))).toBe(true);
  });

  it("prefers the run's delivery record over the notification's status", () => {
    const n = new Notification({ name: 'ops' });
    const sent = run('completed', { notifications: { ops: { status: 'sent', sent_time: '2024-01-01T00:00:00+00:00' } } });
    expect(deliveryStatus(n, sent)).toBe('sent');
    expect(shouldNotify(n, sent)).toBe(false);
    const other = run('completed', { notifications: { other: { status: 'sent' } } });
    expect(shouldNotify(n, other)).toBe(true);
  });

  it('evaluates the condition over the run results on completion', () => {
    const n = new Notification({ condition: 'run.status.results.accuracy > 0.9' });
    expect(shouldNotify(n, run('completed', { results: { accuracy: 0.95 } }))).toBe(true);
    expect(shouldNotify(n, run('completed', { results: { accuracy: 0.5 } }))).toBe(false);
    expect(shouldNotify(n, run('completed', { results: { accuracy: '0.93' } }))).toBe(true);
    // a result the run does not have is undefined, so the comparison is false
    expect(shouldNotify(n, run('completed'))).toBe(false);
  });

  it('sees the notification in the condition, but not its secret params', () => {
    const n = new Notification({ name: 'ops', severity: 'warning', condition: "notification.severity == 'warning' and run.metadata.name == 'train'" });
    expect(shouldNotify(n, run('completed'))).toBe(true);
    const s = new Notification({ kind: 'webhook', secretParams: { url: 'https://h.example/x' }, condition: 'notification.secret_params' });
    expect(shouldNotify(s, run('completed'))).toBe(false);
  });

  it('treats an empty condition as true', () => {
    expect(shouldNotify(new Notification({ condition: '   ' }), run('completed'))).toBe(true);
  });

  it('ignores the condition for error and aborted', () => {
    const n = new Notification({ when: ['completed', 'error', 'aborted'], condition: 'run.status.results.accuracy > 0.9' });
    expect(shouldNotify(n, run('error', { results: { accuracy: 0.1 } }))).toBe(true);
    expect(shouldNotify(n, run('aborted'))).toBe(true);
    expect(shouldNotify(n, run('completed', { results: { accuracy: 0.1 } }))).toBe(false);
  });

  it('applies the condition to other listed states', () => {
    const n = new Notification({ when: ['skipped'], condition: "run.status.reason == 'up to date'" });
    expect(shouldNotify(n, run('skipped', { reason: 'up to date' }))).toBe(true);
    expect(shouldNotify(n, run('skipped', { reason: 'other' }))).toBe(false);
  });

  it('never sends when the condition cannot be evaluated, and says why (#10)', () => {
    // refused at creation; a condition assigned afterwards is checked again when the run ends
    const broken = new Notification();
    broken.condition = '{{ run["status"]["results"]["accuracy"] > }}';
    const syntax = decideNotification(broken, run('completed', { results: { accuracy: 0.95 } }));
    expect(syntax.send).toBe(false);
    expect(syntax.conditionError).toMatch(/^condition could not be evaluated, not sent: Notification\.condition: expression/);
    const unknown = new Notification();
    unknown.condition = 'accuracy > 0.9';
    expect(decideNotification(unknown, run('completed'))).toEqual({ send: false, conditionError: expect.stringMatching(/reads "accuracy"/) });
    const typeErr = decideNotification(new Notification({ condition: 'run.status.results.n / 0 > 1' }), run('completed', { results: { n: 1 } }));
    expect(typeErr).toEqual({ send: false, conditionError: expect.stringMatching(/division by zero/) });
    // a valid condition reports nothing
    expect(decideNotification(new Notification({ condition: 'true' }), run('completed'))).toEqual({ send: true });
  });

  it("evaluates MLRun's Jinja condition over the run's results (#10)", () => {
    const n = new Notification({ condition: '{{ run["status"]["results"]["drift"] > 0.1 }}' });
    expect(shouldNotify(n, run('completed', { results: { drift: 0.3 } }))).toBe(true);
    expect(shouldNotify(n, run('completed', { results: { drift: 0.05 } }))).toBe(false);
    expect(shouldNotify(n, run('completed'))).toBe(false);
  });

  it('sends `running` at the start regardless of the condition, and again for a later listed state (#10)', () => {
    const n = new Notification({ name: 'ops', when: ['running', 'completed'], condition: '{{ run.status.results.accuracy > 0.9 }}' });
    expect(shouldNotify(n, run('running'))).toBe(true);
    const started = { ops: { status: 'sent', sent_time: '2024-01-01T00:00:00+00:00', run_state: 'running' } };
    expect(shouldNotify(n, run('running', { notifications: started }))).toBe(false);
    expect(shouldNotify(n, run('completed', { notifications: started, results: { accuracy: 0.95 } }))).toBe(true);
    expect(shouldNotify(n, run('completed', { notifications: started, results: { accuracy: 0.5 } }))).toBe(false);
  });
});
