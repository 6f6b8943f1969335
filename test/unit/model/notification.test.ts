import { describe, expect, it } from 'vitest';
import { Notification } from '../../../src/model/notification.js';
import { NotSupportedError, SpecError } from '../../../src/errors.js';

describe('Notification', () => {
  it('has MLRun defaults except kind: console, info, ["completed"], pending; name defaults to the kind', () => {
    const n = new Notification();
    expect(n.kind).toBe('console');
    expect(n.name).toBe('console');
    expect(n.severity).toBe('info');
    expect(n.when).toEqual(['completed']);
    expect(n.status).toBe('pending');
    expect(n.toDict()).toEqual({ kind: 'console', name: 'console', severity: 'info', when: ['completed'], status: 'pending' });
  });

  it('round-trips every field through dict, JSON and YAML', () => {
    const n = new Notification({
      kind: 'webhook',
      name: 'ops',
      message: 'run finished',
      severity: 'warning',
      when: ['completed', 'error'],
      condition: 'run.status.results.accuracy > 0.9',
      params: { url: 'https://hooks.example/run', method: 'POST', headers: { 'X-A': '1' } },
      status: 'sent',
      sentTime: '2024-01-05T10:00:00Z',
      reason: 'ok',
    });
    const d = n.toDict();
    expect(d).toMatchObject({ kind: 'webhook', name: 'ops', sent_time: '2024-01-05T10:00:00.000+00:00', when: ['completed', 'error'] });
    expect(Notification.fromDict(d).toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(n))).toEqual(d);
    expect(Notification.fromYaml(n.toYaml()).toDict()).toEqual(d);
  });

  it('refuses MLRun kinds Sluice does not deliver with NotSupportedError naming the kind and the supported ones', () => {
    for (const kind of ['slack', 'git', 'ipython']) {
      expect(() => Notification.fromDict({ kind, name: 'x' })).toThrow(NotSupportedError);
      expect(() => Notification.fromDict({ kind, name: 'x' })).toThrow(
        `Notification.kind: notification kind "${kind}" is not supported by Sluice; supported kinds: console, webhook`,
      );
    }
    expect(() => Notification.fromDict({ kind: 'pager' })).toThrow(SpecError);
    expect(() => Notification.fromDict({ kind: 'pager' })).toThrow('Notification.kind: "pager" is not a notification kind; supported kinds: console, webhook');
  });

  it('checks severity, when and status', () => {
    expect(() => Notification.fromDict({ severity: 'fatal' })).toThrow('Notification.severity: "fatal" is not one of "info", "debug", "verbose", "warning", "error"');
    expect(() => Notification.fromDict({ when: ['finished'] })).toThrow(/Notification.when\[0\]: "finished" is not one of "created"/);
    expect(() => Notification.fromDict({ when: [] })).toThrow(/Notification.when: \[\] is empty/);
    expect(() => Notification.fromDict({ status: 'done' })).toThrow('Notification.status: "done" is not one of "pending", "sent", "error"');
    expect(() => Notification.fromDict({ kind: 'console', nme: 'x' })).toThrow(/unknown key "nme"/);
  });

  it('requires a webhook url in params or secret_params, without echoing secret values', () => {
    expect(() => new Notification({ kind: 'webhook', name: 'w' })).toThrow('Notification "w": a webhook needs "url" in params or secret_params');
    expect(new Notification({ kind: 'webhook', secretParams: { url: 'https://hooks.example/t0ken' } }).name).toBe('webhook');
    expect(() => new Notification({ kind: 'webhook', params: { url: 'ftp://x' } })).toThrow('Notification.params.url: "ftp://x" is not an http(s) URL');
    let msg = '';
    try {
      new Notification({ kind: 'webhook', secretParams: { url: 'not-a-url-s3cret' } });
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toBe('Notification.secret_params.url: (value hidden) is not an http(s) URL');
    expect(() => new Notification({ kind: 'webhook', params: { url: 'https://x.example', headers: 'h' } })).toThrow(/params.headers/);
  });

  it('allows "secret" in secret_params only as the only key', () => {
    expect(new Notification({ kind: 'webhook', secretParams: { secret: 'ops-hook' } }).kind).toBe('webhook');
    expect(() => new Notification({ kind: 'webhook', secretParams: { secret: 'ops-hook', url: 'https://x.example' } })).toThrow(
      'Notification.secret_params: has "secret" and also "url"; when "secret" is present it must be the only key',
    );
  });

  it('limits secret_params to 900 KiB', () => {
    expect(() => new Notification({ kind: 'console', secretParams: { blob: 'x'.repeat(900 * 1024) } })).toThrow(/the limit is 921600 bytes/);
  });

  it('validateNotificationUniqueness rejects a repeated name, naming it', () => {
    const a = new Notification({ name: 'ops' });
    const b = new Notification({ kind: 'webhook', name: 'ops', params: { url: 'https://x.example' } });
    const c = new Notification({ name: 'dev' });
    expect(() => Notification.validateNotificationUniqueness([a, c])).not.toThrow();
    expect(() => Notification.validateNotificationUniqueness([a, b, c])).toThrow(SpecError);
    expect(() => Notification.validateNotificationUniqueness([a, b, c])).toThrow('notifications: notification names must be unique, but "ops" is used more than once');
  });

  it('loads what MLRun writes for a notification created without name, message or condition (#10)', () => {
    const n = Notification.fromDict({ kind: 'console', name: '', message: '', severity: 'info', when: ['completed'], condition: '' });
    expect(n.name).toBe('console');
    expect(n.toDict()).toEqual({ kind: 'console', name: 'console', message: '', severity: 'info', when: ['completed'], condition: '', status: 'pending' });
    expect(() => new Notification({ name: '  ' })).toThrow('Notification.name: "  " is empty');
  });
});
