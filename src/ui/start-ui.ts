import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createUiApp } from './create-ui-app.js';
import type { UiOptions } from './ui-options.js';

/** A running dashboard: its base URL and how to stop it. */
export interface RunningUi {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the dashboard on `host:port` (default 127.0.0.1, port 8520; port 0 picks a free one).
 *
 * @example
 * const ui = await startUi({ db, port: 0 }); console.log(ui.url); await ui.close();
 */
export function startUi(o: UiOptions & { host?: string; port?: number }): Promise<RunningUi> {
  const app = createUiApp(o);
  const hostname = o.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port: o.port ?? 8520 }, (info: AddressInfo) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((res, rej) => server.close((err) => (err ? rej(err) : res()))),
      });
    });
    server.once('error', reject);
  });
}
