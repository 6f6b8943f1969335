// One reader's lookups, in-process: `node readers.mjs <tool> <config.json>` prints one JSON line of results.
// Tools: sluice (an open OnlineStore), sluice-per-call (getOnlineFeatures: opens a connection per lookup),
// raw (ioredis pipeline of HMGET on the same keys: the ceiling). Each caller loops over its lookups; latency is
// measured per lookup (performance.now), throughput over the scenario's wall time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../bench-lib.mjs';

const [tool, cfgPath] = process.argv.slice(2);
const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
const dist = (p) => import(join(ROOT, 'dist', p));
const { FeatureSet } = await dist('src/index.js');
const { OnlineStore, getOnlineFeatures } = await dist('connectors/redis/index.js');
const { Redis } = await import(join(ROOT, 'node_modules/ioredis/built/index.js'));

const fs = FeatureSet.fromYaml(readFileSync(cfg.featureSet, 'utf8'));
const features = cfg.features;
let lookup;
let close = async () => undefined;
if (tool === 'sluice') {
  const store = await OnlineStore.open(fs);
  lookup = (ids) => store.get(ids, { features });
  close = () => store.close();
} else if (tool === 'sluice-per-call') {
  lookup = (ids) => getOnlineFeatures(fs, ids, { features });
} else if (tool === 'raw') {
  const r = new Redis({ host: '127.0.0.1', port: cfg.port });
  lookup = async (ids) => {
    const p = r.pipeline();
    for (const id of ids) p.hmget(`{${cfg.prefix}${cfg.table}:${id}}:static`, ...features);
    return p.exec();
  };
  close = async () => void (await r.quit());
} else throw new Error(`unknown tool ${tool}`);

/** Seeded picks of entity ids (mulberry32), the same for every tool. */
function picker(seed) {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n) => Array.from({ length: n }, () => `ent_${String(Math.floor(rnd() * cfg.rows)).padStart(cfg.width, '0')}`);
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const results = [];
for (const size of cfg.sizes) {
  for (const callers of cfg.callers) {
    const per = Math.max(1, Math.round(cfg.lookups / callers));
    const warm = picker(size * 7 + callers);
    for (let i = 0; i < cfg.warmup; i++) await lookup(warm(size));
    const lat = [];
    const t0 = performance.now();
    await Promise.all(Array.from({ length: callers }, async (_, c) => {
      const pick = picker(1000 * size + c);
      for (let i = 0; i < per; i++) {
        const ids = pick(size);
        const s = performance.now();
        const rows = await lookup(ids);
        lat.push(performance.now() - s);
        if (rows.length !== size) throw new Error(`${tool}: ${rows.length} rows for ${size} entities`);
      }
    }));
    const wall = (performance.now() - t0) / 1000;
    lat.sort((x, y) => x - y);
    results.push({ tool, size, callers, lookups: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), perSec: lat.length / wall });
  }
}
await close();
console.log(JSON.stringify(results));
