// Writes the offline benchmark's CSV: `rows` rows from a fixed seed, so every run (and every tool) reads the same
// bytes. Columns: key (string, ~100k distinct values), qty (int), price (float), ts (ISO-8601 UTC timestamp,
// roughly time-ordered over January 2024 with up to one hour of jitter), category (20 values).
// Run: node bench/offline/generate.mjs <rows> <out.csv>
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Distinct key values drawn from (about 100k appear in 1M rows). */
export const KEY_SPACE = 100_000;
const SEED = 20240101;
const START_MS = Date.UTC(2024, 0, 1);
const SPAN_MS = 31 * 86_400_000;
const JITTER_MS = 3_600_000;

/** mulberry32: a small, fast, deterministic PRNG in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w) => String(n).padStart(w, '0');

/** ISO-8601 UTC with second precision, e.g. 2024-01-05T07:03:09Z. */
function iso(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}Z`;
}

/** Writes `rows` rows to `path`; resolves with the byte count. */
export async function generateCsv(rows, path) {
  const rnd = prng(SEED);
  const categories = Array.from({ length: 20 }, (_, i) => `cat_${pad(i, 2)}`);
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = 'key,qty,price,ts,category\n';
  for (let i = 0; i < rows; i++) {
    const key = `user_${pad(Math.floor(rnd() * KEY_SPACE), 6)}`;
    const qty = Math.floor(rnd() * 1_000_000);
    const price = (rnd() * 1000).toFixed(4);
    const base = START_MS + Math.floor((i / rows) * SPAN_MS);
    const ts = Math.min(START_MS + SPAN_MS - 1000, base + Math.floor(rnd() * JITTER_MS));
    const cat = categories[Math.floor(rnd() * categories.length)];
    chunk += `${key},${qty},${price},${iso(ts)},${cat}\n`;
    if (chunk.length > 1 << 20) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += chunk.length;
  out.end(chunk);
  await once(out, 'finish');
  return bytes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rows, path] = process.argv.slice(2);
  if (!rows || !path) {
    process.stderr.write('usage: node bench/offline/generate.mjs <rows> <out.csv>\n');
    process.exit(2);
  }
  await generateCsv(Number(rows), path);
}
