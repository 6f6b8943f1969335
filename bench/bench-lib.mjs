// Helpers shared by bench/online/run.mjs and bench/s3/run.mjs: the venv, measured child processes (wall time from
// spawn to exit, peak RSS from /usr/bin/time -v), free loopback ports, background services, machine description and
// a CPU-profile summary. Same conventions as bench/offline/run.mjs.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const OUT = join(ROOT, 'bench/out');
export const VENV = join(ROOT, 'bench/.venv');
export const PY = join(VENV, 'bin/python');
export const TIME = '/usr/bin/time';

/** `--name value` from argv, else the default; `has('--flag')` for switches. */
export function argReader(argv = process.argv.slice(2)) {
  return {
    get: (name, dflt) => {
      const i = argv.indexOf(name);
      return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
    },
    has: (name) => argv.includes(name),
  };
}

export function spawnOk(cmd, argv) {
  try {
    execFileSync(cmd, argv, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Exits with a hint when a command the bench needs is missing. */
export function requireCommand(cmd, hint) {
  if (!spawnOk('sh', ['-c', `command -v ${cmd}`])) {
    console.error(`bench: \`${cmd}\` is missing; ${hint}`);
    process.exit(2);
  }
}

/** Creates or completes bench/.venv with the given pip packages (imported as `modules`); returns their versions. */
export function ensureVenv(packages, modules) {
  if (!existsSync(TIME)) {
    console.error('bench: /usr/bin/time is missing; install it with `apt-get install -y time` (Debian/Ubuntu)');
    process.exit(2);
  }
  const probe = `import ${modules.join(', ')}`;
  if (!(existsSync(PY) && spawnOk(PY, ['-c', probe]))) {
    console.log(`bench: installing ${packages.join(', ')} into bench/.venv`);
    if (!existsSync(PY)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(join(VENV, 'bin/pip'), ['install', '--quiet', '--retries', '0', ...packages], { stdio: 'inherit' });
  }
  const code = `import importlib.metadata as m; print(' '.join(m.version(p) for p in ${JSON.stringify(packages)}))`;
  const v = execFileSync(PY, ['-c', code], { encoding: 'utf8' }).trim().split(' ');
  return Object.fromEntries(packages.map((p, i) => [p, v[i]]));
}

/** Runs argv under /usr/bin/time -v; wall time measured here (process start to exit), peak RSS and CPU (user + sys s) from time(1). */
export function measure(argv, env = {}) {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(TIME, ['-v', ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}\n${out.slice(-2000)}\n${err.slice(-3000)}`));
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
      const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(err)?.[1] ?? NaN) + Number(/System time \(seconds\): ([\d.]+)/.exec(err)?.[1] ?? NaN);
      resolveRun({ wall, rssMiB: kb / 1024, cpu, stdout: out, stderr: err });
    });
  });
}

/** A free loopback TCP port (nothing listens on it once this resolves). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Starts a background service and waits until `ready()` resolves true; returns a stop function (kills by pid). */
export async function startService(cmd, argv, ready, what) {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error(`${what} exited at start: ${err.slice(-2000)}`);
    if (await ready().catch(() => false)) return { pid: child.pid, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`${what} did not become ready within 20 s: ${err.slice(-2000)}`);
}

export const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');

export function machine() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const cpus = info.match(/^processor/gm)?.length;
    const model = /model name\s*:\s*(.*)/.exec(info)?.[1];
    return `${cpus} cores (${model})`;
  } catch {
    return 'unknown machine';
  }
}

export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Top self-time frames of the newest .cpuprofile in `dir` (V8's --cpu-prof output). */
export function topFrames(dir, n = 15) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  const prof = JSON.parse(readFileSync(join(dir, files.at(-1)), 'utf8'));
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const dt = (prof.endTime - prof.startTime) / Math.max(1, prof.samples.length);
  const self = new Map();
  for (const id of prof.samples) {
    const cf = byId.get(id).callFrame;
    const url = cf.url.replace(`file://${ROOT}/`, '');
    const name = `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + dt);
  }
  const total = prof.endTime - prof.startTime;
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / total }));
}
