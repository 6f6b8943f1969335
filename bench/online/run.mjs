// `npm run bench:online [-- --rows 1000000] [--tools sluice,sluice-append,redis-benchmark,redis-py,redis-py-lua] [--repeat N] [--no-build] [--profile] [--cluster]`
// Sluice's Redis online target side by side with `redis-benchmark -P 64 -c 1` (HSET of 3 fields: the ceiling) and
// redis-py pipelined writers, against a throw-away redis-server on a free loopback port (emptied before each
// writer). Each writer is its own process under /usr/bin/time -v; each one's keys are counted (SCAN) and
// spot-checked before any figure is printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, PY, ROOT, argReader, ensureVenv, fmt, freePort, loadAverage, machine, measure, requireCommand, startService, topFrames } from '../bench-lib.mjs';

const PEERS = join(ROOT, 'bench/online/peers.py');
const TABLE = 'projects/bench/featuresets/bench_online/';
const PREFIX = { sluice: 'bench_sluice:', 'sluice-append': 'bench_sluice:', 'redis-py': 'bench_redispy:', 'redis-py-lua': 'bench_redispy_lua:' };

function args() {
  const a = argReader();
  return {
    rows: Number(a.get('--rows', '1000000').replace(/_/g, '')),
    tools: a.get('--tools', 'sluice,sluice-append,redis-benchmark,redis-py,redis-py-lua').split(','),
    repeat: Number(a.get('--repeat', '1')),
    build: !a.has('--no-build'),
    profile: a.has('--profile'),
    // A local 3-node Redis Cluster instead of one server (Sluice's writers and redis-benchmark --cluster only).
    cluster: a.has('--cluster'),
    // Extra attributes for Sluice's target (tuning experiments), e.g. '{"rows_per_call": 200}'.
    sluiceAttrs: JSON.parse(a.get('--sluice-attrs', '{}')),
  };
}

/** The redis-servers' own CPU seconds so far (user + sys, from INFO cpu), summed over the nodes. */
const serverCpu = (ports) => ports.reduce((sum, port) => {
  const info = cli(port, 'INFO', 'cpu');
  return sum + Number(/used_cpu_user:([\d.]+)/.exec(info)[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)[1]);
}, 0);

/** A free port whose cluster bus port (+10000) is free too. */
async function clusterPort(taken) {
  for (;;) {
    const p = await freePort();
    if (p < 55_000 && !taken.includes(p)) return p;
  }
}

/** Three cluster-enabled redis-servers joined into one cluster (redis-cli --cluster create); waits for cluster_state:ok. */
async function startCluster() {
  const dir = join(OUT, 'cluster');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ports = [];
  const servers = [];
  for (let i = 0; i < 3; i++) {
    const p = await clusterPort(ports);
    ports.push(p);
    servers.push(await startService('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${p}.conf`, '--dir', dir], async () => cli(p, 'PING') === 'PONG', `redis-server (cluster node ${i + 1})`));
  }
  execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !ports.every((p) => cli(p, 'CLUSTER', 'INFO').includes('cluster_state:ok')); i++) await new Promise((r) => setTimeout(r, 100));
  return { ports, stop: () => servers.forEach((x) => x.stop()) };
}

const cli = (port, ...argv) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

function featureSetYaml(src, port, extra = {}) {
  const attrs = JSON.stringify({ key_prefix: PREFIX.sluice, ...extra });
  return `kind: FeatureSet
metadata: { name: bench_online, project: bench }
spec:
  entities: [entity_id]
  timestamp_key: ts
  source:
    kind: parquet
    path: ${src}
  targets:
    - name: online
      kind: redisnosql
      path: redis://127.0.0.1:${port}
      attributes: ${attrs}
`;
}

async function runTool(tool, o, src, ports, lua) {
  const port = ports[0];
  if (tool === 'sluice' || tool === 'sluice-append') {
    // sluice: an overwrite run (purge, then the guard-free script for rows that cannot lose);
    // sluice-append: `--no-overwrite` into the emptied server, so every row goes through the event-time guard.
    const append = tool === 'sluice-append';
    const yaml = join(OUT, 'runs', 'online-sluice.yaml');
    writeFileSync(yaml, featureSetYaml(src, port, o.sluiceAttrs));
    const db = join(OUT, 'runs', 'online-sluice.db');
    rmSync(db, { force: true });
    const r = await measure(['node', join(ROOT, 'dist/src/cli/main.js'), 'ingest', yaml, '--json', append ? '--no-overwrite' : '--overwrite'], { SLUICE_DB: db });
    const res = JSON.parse(r.stdout).run.status.results;
    if (res.rows_written.online !== o.rows) throw new Error(`sluice wrote ${JSON.stringify(res.rows_written)}, expected ${o.rows}`);
    const attrs = JSON.stringify(o.sluiceAttrs) === '{}' ? 'defaults' : JSON.stringify(o.sluiceAttrs);
    return { ...r, inner: res.timings_ms.totalMs / 1000, note: `${append ? 'append: guard on every row' : 'overwrite: guard-free script for rows that cannot lose'}, ${attrs}; read+write ${res.timings_ms.readWriteMs} ms, commit ${res.timings_ms.commitMs} ms` };
  }
  if (tool === 'redis-benchmark') {
    const argv = ['redis-benchmark', ...(o.cluster ? ['--cluster'] : []), '-h', '127.0.0.1', '-p', String(port), '-P', '64', '-c', '1', '-n', String(o.rows), '-r', String(o.rows), '-q',
      'hset', o.cluster ? 'key:{tag}:__rand_int__' : 'key:__rand_int__', 'f1', '1.5', 'f2', '7', 'f3', 'abc'];
    // On a cluster redis-benchmark needs the `{tag}` placeholder to route each key to its node.
    const r = await measure(argv);
    const rps = Number(/([\d.]+) requests per second/.exec(r.stdout)?.[1]);
    if (!Number.isFinite(rps)) throw new Error(`redis-benchmark printed no requests per second: ${r.stdout.slice(-500)}`);
    return { ...r, inner: o.rows / rps, note: 'HSET x3 fields, -P 64 -c 1' };
  }
  const mode = tool === 'redis-py' ? ['plain', src, String(port), PREFIX[tool], TABLE] : ['lua', src, String(port), PREFIX[tool], TABLE, lua];
  const r = await measure([PY, PEERS, ...mode]);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...r, inner: out.seconds, note: out.mode };
}

function verify(tool, o, src, ports) {
  const port = ports[0];
  if (o.cluster) {
    // Keys over the nodes: every entity plus `.schema` for Sluice; ~63% of the requests for redis-benchmark -r.
    const keys = ports.reduce((n, p) => n + Number(cli(p, 'DBSIZE')), 0);
    return tool === 'redis-benchmark' ? { ok: 0.6 * o.rows < keys && keys <= o.rows, keys } : { ok: keys === o.rows + 1, keys: keys - 1 };
  }
  const argv = tool === 'redis-benchmark'
    ? [PEERS, 'verify-benchmark', String(port), String(o.rows)]
    : [PEERS, 'verify', src, String(port), PREFIX[tool], TABLE, tool === 'redis-py' ? 'plain' : 'guarded'];
  let text;
  try {
    text = execFileSync(PY, argv, { encoding: 'utf8' });
  } catch (e) {
    text = e.stdout;
  }
  return JSON.parse(text.trim().split('\n').pop());
}

async function profileSluice(src, port, extra) {
  const dir = join(OUT, 'prof-online');
  rmSync(dir, { recursive: true, force: true });
  cli(port, 'FLUSHALL', 'SYNC');
  const yaml = join(OUT, 'runs', 'online-sluice.yaml');
  writeFileSync(yaml, featureSetYaml(src, port, extra));
  await measure(['node', '--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'dist/src/cli/main.js'), 'ingest', yaml, '--json'], { SLUICE_DB: join(OUT, 'runs', 'online-prof.db') });
  console.log(`\nbench: Sluice CPU profile (${dir}), top self-time frames:`);
  for (const f of topFrames(dir)) console.log(`  ${fmt(f.ms, 0).padStart(6)} ms ${fmt(f.pct, 1).padStart(5)}%  ${f.name}`);
}

async function main() {
  const o = args();
  requireCommand('redis-server', 'install redis-server (apt-get install -y redis-server)');
  requireCommand('redis-benchmark', 'it ships with redis-server (apt-get install -y redis-tools)');
  requireCommand('redis-cli', 'it ships with redis-server (apt-get install -y redis-tools)');
  const versions = ensureVenv(['pyarrow', 'redis', 'msgpack'], ['pyarrow', 'redis', 'msgpack']);
  if (o.tools.some((t) => t.startsWith('sluice')) && o.build) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(join(OUT, 'runs'), { recursive: true });
  const src = join(OUT, `online-${o.rows}.parquet`);
  if (!existsSync(src)) {
    console.log(`bench: generating ${src}`);
    execFileSync(PY, [PEERS, 'generate', String(o.rows), src], { stdio: 'ignore' });
  }
  // The redis-py guarded writer runs Sluice's own script text (same SHA), taken from the build.
  const lua = join(OUT, 'online-guard.lua');
  const { GUARD_SCRIPT } = await import(join(ROOT, 'dist/connectors/redis/guard-script.js'));
  writeFileSync(lua, GUARD_SCRIPT);

  if (o.cluster) o.tools = o.tools.filter((t) => t === 'sluice' || t === 'sluice-append' || t === 'redis-benchmark');
  let ports;
  let server;
  if (o.cluster) {
    server = await startCluster();
    ports = server.ports;
  } else {
    const port = await freePort();
    server = await startService('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      async () => cli(port, 'PING') === 'PONG', 'redis-server');
    ports = [port];
  }
  const port = ports[0];
  const serverVersion = cli(port, 'INFO', 'server').match(/redis_version:(\S+)/)?.[1];
  console.log(`bench: redis-server ${serverVersion} on 127.0.0.1:${ports.join(',')}${o.cluster ? ' (3-node cluster)' : ''}`);
  const results = [];
  try {
    for (const tool of o.tools) {
      process.stdout.write(`bench: ${tool} ${o.rows} rows ... `);
      let best;
      for (let i = 0; i < o.repeat; i++) {
        for (const p of ports) cli(p, 'FLUSHALL', 'SYNC');
        const cpu0 = serverCpu(ports);
        const x = await runTool(tool, o, src, ports, lua);
        x.serverCpu = serverCpu(ports) - cpu0;
        const v = verify(tool, o, src, ports);
        const mem = cli(port, 'INFO', 'memory').match(/used_memory_human:(\S+)/)?.[1];
        process.stdout.write(`${fmt(x.wall)} s (${fmt(x.inner)} s in-process, server CPU ${fmt(x.serverCpu)} s), ${v.keys} keys, ${v.ok ? 'verified' : 'VERIFY FAILED'}; `);
        if (!v.ok) {
          console.log(`\nbench: ${tool} verify failed: ${JSON.stringify(v)}`);
          process.exitCode = 1;
        }
        if (!best || x.inner < best.inner) best = { ...x, keys: v.keys, ok: v.ok, mem };
      }
      console.log(`best ${fmt(best.inner)} s`);
      results.push({ tool, rows: o.rows, ...best });
    }
    if (o.profile && o.tools.includes('sluice')) await profileSluice(src, port, o.sluiceAttrs);
  } finally {
    for (const p of ports) cli(p, 'FLUSHALL', 'SYNC');
    server.stop();
  }
  report(results, versions, serverVersion);
}

function report(results, versions, serverVersion) {
  console.log(`\n${new Date().toISOString().slice(0, 10)}, load average ${loadAverage()}, node ${process.version}, redis-server ${serverVersion}, ` +
    `redis-py ${versions.redis}, pyarrow ${versions.pyarrow}, msgpack ${versions.msgpack}, ${machine()}`);
  const rate = (r) => r.rows / r.inner;
  const find = (t) => results.find((r) => r.tool === t);
  const ceiling = find('redis-benchmark');
  const py = find('redis-py');
  console.log('\n| tool | rows | wall s | in-process s | rows/s | rows/s (wall) | vs redis-benchmark | vs redis-py | peak RSS MiB | server CPU s | server CPU µs/row | client CPU s | client CPU µs/row | keys | redis used_memory | notes |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const vsB = ceiling ? `${fmt(rate(r) / rate(ceiling))}x` : '-';
    const vsP = py ? `${fmt(rate(r) / rate(py))}x` : '-';
    console.log(`| ${r.tool} | ${r.rows} | ${fmt(r.wall)} | ${fmt(r.inner)} | ${Math.round(rate(r))} | ${Math.round(r.rows / r.wall)} | ${vsB} | ${vsP} | ${fmt(r.rssMiB, 0)} | ${fmt(r.serverCpu)} | ${fmt((r.serverCpu * 1e6) / r.rows)} | ${fmt(r.cpu)} | ${fmt((r.cpu * 1e6) / r.rows)} | ${r.keys} | ${r.mem} | ${r.note} |`);
  }
  const s = find('sluice');
  const sa = find('sluice-append');
  console.log('');
  if (s && ceiling) {
    const k = rate(s) / rate(ceiling);
    console.log(`target: sluice overwrite rows/s / redis-benchmark requests/s = ${fmt(k)}x (wall: ${fmt(s.rows / s.wall / rate(ceiling))}x; target >= 0.7x): ${k >= 0.7 ? 'met' : 'MISSED'}`);
  }
  if (sa && ceiling) {
    const k = rate(sa) / rate(ceiling);
    console.log(`target: sluice append (guard) rows/s / redis-benchmark requests/s = ${fmt(k)}x (wall: ${fmt(sa.rows / sa.wall / rate(ceiling))}x; target >= 0.5x): ${k >= 0.5 ? 'met' : 'MISSED'}`);
  }
  if (s && py) {
    const k = rate(s) / rate(py);
    console.log(`target: sluice rows/s / redis-py rows/s = ${fmt(k)}x (wall: ${fmt(py.wall / s.wall)}x; target >= 2x): ${k >= 2 ? 'met' : 'MISSED'}`);
  }
  const lua = find('redis-py-lua');
  if (s && lua) console.log(`like for like: sluice / redis-py with the same guard script = ${fmt(rate(s) / rate(lua))}x`);
}

await main();
