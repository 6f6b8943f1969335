/**
 * Vitest global setup: checks that Redis and PostgreSQL answer, starts `moto_server` (S3) on a free loopback
 * port, and hands the addresses to the tests through environment variables. A missing service fails the run:
 * `npm run test:all` installs and starts them (scripts/services.sh).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

const REDIS_URL = process.env.SLUICE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.SLUICE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function waitFor(host: string, port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await reachable(host, port, 500)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

let moto: ChildProcess | undefined;

export async function setup(): Promise<void> {
  const redis = new URL(REDIS_URL);
  if (!(await reachable(redis.hostname, Number(redis.port || 6379)))) {
    throw new Error(`Redis does not answer at ${REDIS_URL}; start it with scripts/services.sh (npm run test:all does)`);
  }
  const pg = new URL(PG_URL);
  if (!(await reachable(pg.hostname, Number(pg.port || 5432)))) {
    throw new Error(`PostgreSQL does not answer at ${PG_URL}; start it with scripts/services.sh (npm run test:all does)`);
  }
  process.env.SLUICE_TEST_REDIS_URL = REDIS_URL;
  process.env.SLUICE_TEST_PG_URL = PG_URL;

  if (!process.env.SLUICE_TEST_S3_ENDPOINT) {
    const port = await freePort();
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const failed = new Promise<boolean>((resolve) => moto?.once('error', () => resolve(false)));
    const up = await Promise.race([waitFor('127.0.0.1', port, 30_000), failed]);
    if (!up) {
      moto.kill();
      throw new Error('moto_server (the S3 test server) did not start; install it with pip install "moto[server]" (npm run test:all does)');
    }
    process.env.SLUICE_TEST_S3_ENDPOINT = `http://127.0.0.1:${port}`;
  }
}

export async function teardown(): Promise<void> {
  moto?.kill();
}
