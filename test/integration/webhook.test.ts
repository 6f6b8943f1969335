import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Notification, SecretsStore, defaultNotifiers, pushNotifications } from '../../src/index.js';
import type { NotifiableRun, NotifyContext } from '../../src/index.js';
import { connector, createNotifier, kind } from '../../connectors/webhook/index.js';
import { tmpDir } from '../support/tmp-dir.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real loopback server answering each request with the next scripted status (the last one repeats); 0 = never answer. */
async function startServer(statuses: number[], options: { https?: { key: Buffer; cert: Buffer } } = {}): Promise<{ base: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const status = statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 200;
      if (status === 0) return; // hang: the client must time out
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status >= 400 ? `status ${status}: bad payload field "run"` : 'ok');
    });
  };
  const server = options.https ? createHttpsServer(options.https, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { base: `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`, seen, server: server as Server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const runDict = (state = 'completed', extra: Record<string, unknown> = {}): NotifiableRun => ({
  metadata: { uid: 'r-1', name: 'ingest-sales', project: 'shop', iteration: 0 },
  spec: { parameters: { db_password: 'pw-SECRET-42' } },
  status: { state, results: { rows: 10 }, ...extra },
});

const secrets = (): SecretsStore => new SecretsStore({ env: {} }).addSource('inline', { DB_PASSWORD: 'pw-SECRET-42' });

async function push(notification: Notification, ctx: NotifyContext = {}, run = runDict()) {
  const out = await pushNotifications(run, [notification], defaultNotifiers([createNotifier()]), { secrets: secrets(), ...ctx });
  return out[notification.name];
}

describe('webhook notifier (real loopback HTTP server)', () => {
  it('is a connector module with kind webhook', () => {
    expect(kind).toBe('webhook');
    expect(connector.kind).toBe('webhook');
    expect(connector.createNotifier().kind).toBe('webhook');
  });

  it('POSTs { message, severity, run } as JSON with secrets redacted', async () => {
    const { base, seen } = await startServer([200]);
    const n = new Notification({ kind: 'webhook', name: 'hook', message: 'done', severity: 'warning', params: { url: `${base}/hook` } });
    const d = await push(n);
    expect(d?.status).toBe('sent');
    expect(d?.reason).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/hook');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(seen[0]?.body ?? '') as Record<string, unknown>;
    expect(body).toEqual({
      message: 'done',
      severity: 'warning',
      run: { metadata: { uid: 'r-1', name: 'ingest-sales', project: 'shop', iteration: 0 }, spec: { parameters: { db_password: '***' } }, status: { state: 'completed', results: { rows: 10 } } },
    });
  });

  it('retries after two 503s, with exponential backoff, then succeeds', async () => {
    const { base, seen } = await startServer([503, 503, 200]);
    const logs: string[] = [];
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: `${base}/h`, backoff_ms: 40 } });
    const d = await push(n, { logger: (l) => logs.push(l) });
    expect(d?.status).toBe('sent');
    expect(seen).toHaveLength(3);
    const [a, b, c] = seen.map((s) => s.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(35);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(75);
    expect(logs).toEqual([
      expect.stringContaining('attempt 1 of 3 failed (HTTP 503 Service Unavailable: status 503: bad payload field "run"); retrying in 40 ms'),
      expect.stringContaining('attempt 2 of 3 failed (HTTP 503 Service Unavailable'),
    ]);
  });

  it('retries 429 and gives up after the configured retries', async () => {
    const { base, seen } = await startServer([429]);
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: `${base}/h`, retries: 1, backoff_ms: 1 } });
    const d = await push(n, { logger: () => {} });
    expect(seen).toHaveLength(2);
    expect(d?.status).toBe('error');
    expect(d?.reason).toBe(`webhook POST ${base}/h: failed after 2 attempt(s); last: HTTP 429 Too Many Requests: status 429: bad payload field "run"`);
  });

  it('does not retry a 400 and records the status and body', async () => {
    const { base, seen } = await startServer([400, 200]);
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: `${base}/h`, backoff_ms: 1 } });
    const d = await push(n, { logger: () => {} });
    expect(seen).toHaveLength(1);
    expect(d?.status).toBe('error');
    expect(d?.reason).toBe(`webhook POST ${base}/h: HTTP 400 Bad Request: status 400: bad payload field "run" (not retried: the endpoint refused the request)`);
  });

  it('records an unreachable endpoint without revealing a secret url', async () => {
    const { base, server } = await startServer([200]);
    servers.splice(servers.indexOf(server), 1);
    await new Promise((resolve) => server.close(resolve)); // the port is now closed
    const url = `${base}/hooks/tok-SECRET-7f3a?key=KEY-SECRET-9b`;
    const logs: string[] = [];
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { retries: 1, backoff_ms: 1 }, secretParams: { url } });
    const d = await push(n, { logger: (l) => logs.push(l) });
    expect(d?.status).toBe('error');
    expect(d?.reason).toMatch(new RegExp(`^webhook POST http://127\\.0\\.0\\.1:\\d+/… \\(url from secret_params\\): failed after 2 attempt\\(s\\); last: fetch failed: .*ECONNREFUSED`));
    expect(d?.reason).toContain('failed after 2 attempt(s)');
    expect(d?.reason).toContain('(url from secret_params)');
    for (const text of [d?.reason ?? '', ...logs]) {
      expect(text).not.toContain('tok-SECRET');
      expect(text).not.toContain('KEY-SECRET');
    }
  });

  it('sends params.override_body instead of the default body', async () => {
    const { base, seen } = await startServer([200]);
    const override = { text: 'ingest finished', blocks: [{ type: 'section' }] };
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: `${base}/h`, method: 'put', override_body: override } });
    expect((await push(n))?.status).toBe('sent');
    expect(seen[0]?.method).toBe('PUT');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(override);
  });

  it('takes url and headers from secret_params, or from a referenced secret', async () => {
    const { base, seen } = await startServer([200]);
    const direct = new Notification({
      kind: 'webhook',
      name: 'direct',
      params: { headers: { 'X-Team': 'data', 'Content-Type': 'application/vnd.sluice+json' } },
      secretParams: { url: `${base}/direct`, headers: { Authorization: 'Bearer tok-abc' } },
    });
    expect((await push(direct))?.status).toBe('sent');
    expect(seen[0]?.url).toBe('/direct');
    expect(seen[0]?.headers.authorization).toBe('Bearer tok-abc');
    expect(seen[0]?.headers['x-team']).toBe('data');
    expect(seen[0]?.headers['content-type']).toBe('application/vnd.sluice+json');

    const store = secrets().addSource('inline', { HOOK: JSON.stringify({ url: `${base}/ref`, headers: { 'X-Key': 'k-123' } }) });
    const byRef = new Notification({ kind: 'webhook', name: 'ref', secretParams: { secret: 'HOOK' } });
    const out = await pushNotifications(runDict(), [byRef], defaultNotifiers([createNotifier()]), { secrets: store });
    expect(out.ref?.status).toBe('sent');
    expect(seen[1]?.url).toBe('/ref');
    expect(seen[1]?.headers['x-key']).toBe('k-123');
  });

  it('times out an attempt that gets no answer', async () => {
    const { base, seen } = await startServer([0]);
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: `${base}/slow`, retries: 0, timeout_ms: 150 } });
    const t0 = Date.now();
    const d = await push(n, { logger: () => {} });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(seen).toHaveLength(1);
    expect(d?.reason).toBe(`webhook POST ${base}/slow: failed after 1 attempt(s); last: no response within 150 ms (params.timeout_ms)`);
  });

  it('stops retrying when the signal aborts', async () => {
    const { base, seen } = await startServer([503]);
    const ctl = new AbortController();
    const n = new Notification({ kind: 'webhook', name: 'hook', params: { url: `${base}/h`, backoff_ms: 5_000 } });
    const pending = push(n, { signal: ctl.signal, logger: () => ctl.abort() });
    const d = await pending;
    expect(seen).toHaveLength(1);
    expect(d?.status).toBe('error');
    expect(d?.reason).toBe(`webhook POST ${base}/h: aborted while waiting to retry (attempt 1 of 3: HTTP 503 Service Unavailable: status 503: bad payload field "run")`);
  });

  it('records bad settings as an error naming the key', async () => {
    const { base, seen } = await startServer([200]);
    const get = await push(new Notification({ kind: 'webhook', name: 'get', params: { url: `${base}/h`, method: 'GET' } }));
    expect(get?.reason).toBe('notification "get": params.method: "GET" is not supported; expected one of POST, PUT, PATCH');
    const typo = await push(new Notification({ kind: 'webhook', name: 'typo', params: { url: `${base}/h`, retry: 3 } }));
    expect(typo?.reason).toMatch(/^notification "typo": unknown webhook parameter\(s\) "retry"; expected: url, method, headers/);
    const neg = await push(new Notification({ kind: 'webhook', name: 'neg', params: { url: `${base}/h`, backoff_ms: -1 } }));
    expect(neg?.reason).toBe('notification "neg": params.backoff_ms: -1 is not valid; expected an integer from 0 to 60000');
    expect(seen).toHaveLength(0);
  });

  it('verifies https certificates unless verify_ssl is false', async () => {
    const { dir, cleanup } = await tmpDir();
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      const { base, seen } = await startServer([200], { https: { key: await readFile(key), cert: await readFile(cert) } });
      const strict = await push(new Notification({ kind: 'webhook', name: 'strict', params: { url: `${base}/s`, retries: 0 } }), { logger: () => {} });
      expect(strict?.status).toBe('error');
      expect(strict?.reason).toMatch(/certificate/i);
      const lax = await push(new Notification({ kind: 'webhook', name: 'lax', params: { url: `${base}/l`, verify_ssl: false } }));
      expect(lax?.status).toBe('sent');
      expect(seen.map((s) => s.url)).toEqual(['/l']);
      expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({ message: 'run completed', severity: 'info' });
    } finally {
      await cleanup();
    }
  });

  it('delivers console and webhook notifications of one run together', async () => {
    const { base, seen } = await startServer([200]);
    const lines: string[] = [];
    const notes = [
      new Notification({ kind: 'console', name: 'log', when: ['error'], severity: 'error' }),
      new Notification({ kind: 'webhook', name: 'hook', when: ['error'], condition: 'run.status.results.rows > 100', params: { url: `${base}/e` } }),
      new Notification({ kind: 'webhook', name: 'only-ok', params: { url: `${base}/ok` } }),
    ];
    const run = runDict('error', { error: `db login failed for pw-SECRET-42` });
    const out = await pushNotifications(run, notes, defaultNotifiers([createNotifier()]), { secrets: secrets(), logger: (l) => lines.push(l) });
    expect(Object.keys(out).sort()).toEqual(['hook', 'log']);
    expect(out.log?.status).toBe('sent');
    expect(out.hook?.status).toBe('sent');
    expect(lines).toEqual(['[sluice] [error] run ingest-sales (r-1) error: run failed; error: db login failed for ***']);
    expect(seen.map((s) => s.url)).toEqual(['/e']);
    expect(seen[0]?.body).not.toContain('pw-SECRET-42');
  });
});
