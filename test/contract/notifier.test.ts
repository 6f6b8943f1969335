/** The Notifier contract for the console notifier (a captured logger) and the webhook notifier (a loopback HTTP server). */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier } from '../../connectors/webhook/index.js';
import { consoleNotifier } from '../../src/index.js';
import { notifierContract } from './notifier.contract.js';

notifierContract('console', async () => {
  const lines: string[] = [];
  return { notifier: consoleNotifier(), address: () => ({}), delivered: () => [...lines], ctx: { logger: (l) => lines.push(l) } };
}, { canFail: false });

notifierContract('webhook', async () => {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/fail') {
        res.writeHead(500).end('server error');
        return;
      }
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    notifier: createNotifier(),
    address: () => ({ params: { url: `${base}/hook` } }),
    failing: () => ({ params: { url: `${base}/fail`, retries: 1, backoff_ms: 1 } }),
    delivered: () => [...bodies],
    ctx: { logger: () => undefined },
    cleanup: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}, { canFail: true });
