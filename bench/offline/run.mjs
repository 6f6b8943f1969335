// `npm run bench:offline [-- --rows 1000000,10000000] [--jobs csv,parquet] [--tools sluice,pyarrow,duckdb] [--repeat N] [--no-build]`
// Sluice's offline ingestion side by side with pyarrow and DuckDB: the same generated data (generate.mjs), the
// same layout (hash16_key=<b>/year/month/day, snappy), each tool a separate process under /usr/bin/time -v for
// wall time and peak RSS; the outputs are checked to agree partition by partition before any figure is printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCsv } from './generate.mjs';
import { OUT, PY, ROOT, TIME, VENV, measure, spawnOk } from '../bench-lib.mjs';

const PEERS = join(ROOT, 'bench/offline/peers.py');

function args() {
  const a = process.argv.slice(2);
  const get = (name, dflt) => {
    const i = a.indexOf(name);
    return i >= 0 && a[i + 1] ? a[i + 1] : dflt;
  };
  return {
    rows: get('--rows', '1000000').split(',').map((s) => Number(s.replace(/_/g, ''))),
    jobs: get('--jobs', 'csv,parquet').split(','),
    tools: get('--tools', 'sluice,pyarrow,duckdb').split(','),
    build: !a.includes('--no-build'),
    repeat: Number(get('--repeat', '1')),
  };
}

function ensureTools() {
  if (!existsSync(TIME)) {
    console.error('bench: /usr/bin/time is missing; install it with `apt-get install -y time` (Debian/Ubuntu)');
    process.exit(2);
  }
  const ok = () => existsSync(PY) && spawnOk(PY, ['-c', 'import pyarrow, duckdb']);
  if (!ok()) {
    console.log('bench: creating bench/.venv with pyarrow and duckdb');
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(join(VENV, 'bin/pip'), ['install', '--quiet', '--retries', '0', 'pyarrow', 'duckdb'], { stdio: 'inherit' });
  }
  const v = execFileSync(PY, ['-c', 'import pyarrow, duckdb; print(pyarrow.__version__, duckdb.__version__)'], { encoding: 'utf8' }).trim().split(' ');
  return { pyarrow: v[0], duckdb: v[1] };
}

function featureSetYaml(job, src, target) {
  const source = job === 'csv'
    ? `    kind: csv\n    path: ${src}\n    attributes:\n      schema: { key: string, qty: int64, price: float64, ts: timestamp, category: string }\n`
    : `    kind: parquet\n    path: ${src}\n`;
  return `kind: FeatureSet
metadata: { name: bench_offline_${job}, project: bench }
spec:
  entities: [key]
  timestamp_key: ts
  source:
${source}  targets:
    - name: offline
      kind: parquet
      path: ${target}/
      key_bucketing_number: 16
      time_partitioning_granularity: day
`;
}

async function runTool(tool, job, src, dir) {
  rmSync(dir, { recursive: true, force: true });
  if (tool === 'sluice') {
    const yaml = `${dir}.yaml`;
    writeFileSync(yaml, featureSetYaml(job, src, dir));
    const db = `${dir}.db`;
    rmSync(db, { force: true });
    const r = await measure(['node', join(ROOT, 'dist/src/cli/main.js'), 'ingest', yaml, '--json'], { SLUICE_DB: db });
    const res = JSON.parse(r.stdout).run.status.results;
    return { ...r, inner: res.timings_ms.totalMs / 1000, note: `read+write ${res.timings_ms.readWriteMs} ms, commit ${res.timings_ms.commitMs} ms` };
  }
  const r = await measure([PY, PEERS, tool, job, src, dir]);
  const o = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...r, inner: o.seconds, note: o.mode };
}

const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');

async function main() {
  const o = args();
  const versions = ensureTools();
  if (o.tools.includes('sluice') && o.build) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(join(OUT, 'runs'), { recursive: true });
  const results = [];
  for (const rows of o.rows) {
    const csv = join(OUT, `offline-${rows}.csv`);
    const parquet = join(OUT, `offline-${rows}.parquet`);
    if (!existsSync(csv)) {
      console.log(`bench: generating ${csv}`);
      await generateCsv(rows, csv);
    }
    if (o.jobs.includes('parquet') && !existsSync(parquet)) execFileSync(PY, [PEERS, 'convert', csv, parquet], { stdio: 'ignore' });
    for (const job of o.jobs) {
      const src = job === 'csv' ? csv : parquet;
      const dirs = [];
      for (const tool of o.tools) {
        const dir = join(OUT, 'runs', `${tool}-${job}-${rows}`);
        process.stdout.write(`bench: ${tool} ${job} ${rows} rows ... `);
        // Best of --repeat runs (the machine is shared; the fastest run is the least disturbed one).
        let r;
        for (let i = 0; i < o.repeat; i++) {
          const x = await runTool(tool, job, src, dir);
          process.stdout.write(`${fmt(x.wall)} s ${fmt(x.rssMiB, 0)} MiB; `);
          if (!r || x.wall < r.wall) r = x;
        }
        console.log(`best ${fmt(r.wall)} s`);
        results.push({ tool, job, rows, srcMiB: statSync(src).size / 2 ** 20, ...r });
        dirs.push(dir);
      }
      const v = JSON.parse(execFileSync(PY, [PEERS, 'verify', ...dirs], { encoding: 'utf8' }).trim());
      const sums = v.outputs.map((x) => `${x.dir.split('/').pop()}=${x.checksum} (${x.partitions} partitions, ${x.rows} rows)`).join(', ');
      console.log(`bench: verify ${job} ${rows}: ${v.agree ? 'outputs agree' : 'OUTPUTS DIFFER'}: ${sums}`);
      if (!v.agree) process.exitCode = 1;
    }
  }
  report(results, versions);
}

function report(results, versions) {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\n${new Date().toISOString().slice(0, 10)}, load average ${load}, node ${process.version}, pyarrow ${versions.pyarrow}, duckdb ${versions.duckdb}, ${os()}`);
  console.log('\n| tool | job | rows | wall s | in-process s | rows/s | wall vs pyarrow | peak RSS MiB | notes |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const base = results.find((x) => x.tool === 'pyarrow' && x.job === r.job && x.rows === r.rows);
    const ratio = base ? r.wall / base.wall : NaN;
    console.log(`| ${r.tool} | ${r.job} | ${r.rows} | ${fmt(r.wall)} | ${fmt(r.inner)} | ${Math.round(r.rows / r.wall)} | ${fmt(ratio)}x | ${fmt(r.rssMiB, 0)} | ${r.note} |`);
  }
  const sizes = [...new Set(results.map((r) => r.rows))].sort((a, b) => a - b);
  console.log('');
  for (const job of [...new Set(results.map((r) => r.job))]) {
    const s = results.find((r) => r.tool === 'sluice' && r.job === job && r.rows === sizes[0]);
    const pa = results.find((r) => r.tool === 'pyarrow' && r.job === job && r.rows === sizes[0]);
    if (s && pa && job === 'csv') console.log(`target: sluice wall / pyarrow wall on the ${sizes[0]}-row CSV job = ${fmt(s.wall / pa.wall)}x (target <= 2x): ${s.wall / pa.wall <= 2 ? 'met' : 'MISSED'}`);
    const big = results.find((r) => r.tool === 'sluice' && r.job === job && r.rows === sizes.at(-1));
    if (s && big && big !== s) {
      const k = big.rssMiB / s.rssMiB;
      console.log(`target: sluice peak RSS ${job} ${big.rows} / ${s.rows} rows = ${fmt(k)}x (target <= 1.5x): ${k <= 1.5 ? 'met' : 'MISSED'}`);
    }
  }
}

function os() {
  try {
    const cpus = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length;
    const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    return `${cpus} cores (${model})`;
  } catch {
    return 'unknown machine';
  }
}

await main();
