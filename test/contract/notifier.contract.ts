/**
 * The Notifier contract: every notifier kind (console, webhook) passes these tests. The factory returns the
 * notifier, how to address a notification to the fixture's receiver, and what the receiver got.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notification, SecretsStore, SluiceError } from '../../src/index.js';
import type { NotifiableRun, Notifier, NotifyContext } from '../../src/index.js';

export interface NotifierFixture {
  notifier: Notifier;
  /** `params` / `secret_params` that send a notification of this kind to the fixture's receiver. */
  address(): { params?: Record<string, unknown>; secretParams?: Record<string, unknown> };
  /** The messages the receiver got so far, as text (a log line, a request body). */
  delivered(): string[];
  /** The context the notifier needs besides the secrets (a logger); merged into every call. */
  ctx?: NotifyContext;
  /** An address whose delivery fails (an endpoint answering 500); omitted for kinds that cannot fail. */
  failing?(): { params?: Record<string, unknown>; secretParams?: Record<string, unknown> };
  cleanup?(): Promise<void>;
}

export type NotifierFactory = () => Promise<NotifierFixture>;

const SECRET = 'pw-CONTRACT-SECRET-31';

const run = (state: string, error?: string): NotifiableRun => ({
  metadata: { uid: 'uid-contract-7', name: 'ingest-contract', project: 'shop', iteration: 0 },
  spec: { parameters: { db_password: SECRET } },
  status: { state, results: { rows: 12 }, ...(error ? { error } : {}) },
});

const secrets = (): SecretsStore => new SecretsStore({ env: {} }).addSource('inline', { DB_PASSWORD: SECRET });

/** Registers the contract suite for one notifier. */
export function notifierContract(kind: string, factory: NotifierFactory, caps: { canFail: boolean }): void {
  describe(`Notifier contract: ${kind}`, () => {
    let fx: NotifierFixture;
    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      await fx?.cleanup?.();
    });

    const notification = (o: { message?: string; address?: ReturnType<NotifierFixture['address']> } = {}) =>
      new Notification({ kind: kind as never, name: `${kind}-contract`, message: o.message ?? 'contract run finished', severity: 'warning', ...(o.address ?? fx.address()) });

    it('has its kind', () => {
      expect(fx.notifier.kind).toBe(kind);
    });

    it('delivers one message per notify, naming the run, its state and the notification message', async () => {
      await fx.notifier.notify(run('completed'), notification(), { ...fx.ctx, secrets: secrets() });
      const got = fx.delivered();
      expect(got).toHaveLength(1);
      for (const text of ['ingest-contract', 'completed', 'contract run finished']) expect(got[0]).toContain(text);
      await fx.notifier.notify(run('completed'), notification({ message: 'second' }), { ...fx.ctx, secrets: secrets() });
      expect(fx.delivered()).toHaveLength(2);
    });

    it('reports a failed run with its error, and never delivers a secret value', async () => {
      await fx.notifier.notify(run('error', `connection refused for password ${SECRET}`), notification({ message: `message with ${SECRET}` }), { ...fx.ctx, secrets: secrets() });
      const [text] = fx.delivered();
      expect(text).toContain('error');
      expect(text).toContain('connection refused for password');
      expect(text).not.toContain(SECRET);
    });

    if (caps.canFail) {
      it('a failed delivery rejects with a one-line SluiceError holding no secret value', async () => {
        const address = fx.failing?.();
        const err = await fx.notifier
          .notify(run('error', `boom ${SECRET}`), notification({ address, message: SECRET }), { ...fx.ctx, secrets: secrets(), sleep: async () => undefined })
          .then(() => new Error('the delivery did not fail'), (e: unknown) => e);
        expect(err).toBeInstanceOf(SluiceError);
        expect((err as Error).message).not.toContain(SECRET);
        expect((err as Error).message).not.toContain('\n');
      });
    }
  });
}
