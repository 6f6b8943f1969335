// `npm run bench:s3 [-- --rows 1000000] [--repeat N] [--no-build]`
// Write throughput of Sluice's partitioned Parquet ingest to S3 (a moto_server the bench starts on a free loopback
// port) against `aws s3 cp --recursive` of the same files, with the local-disk ingest of the same job for
// reference. Same data and feature set as bench/offline's CSV job. Each step is its own process under
// /usr/bin/time -v; object counts, keys and bytes are checked to match before any figure is printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { OUT, PY, ROOT, argReader, ensureVenv, fmt, freePort, loadAverage, machine, measure, requireCommand, startService } from '../bench-lib.mjs';
import { generateCsv } from '../offline/generate.mjs';

const BUCKET = 'sluice-bench';
const CREDS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };

function args() {
  const a = argReader();
  return { rows: Number(a.get('--rows', '1000000').replace(/_/g, '')), repeat: Number(a.get('--repeat', '1')), build: !a.has('--no-build') };
}

function featureSetYaml(src, target, endpoint) {
  const storage = endpoint ? `      storage_options: { endpoint_url: "${endpoint}", key: testing, secret: testing, region: us-east-1 }\n` : '';
  return `kind: FeatureSet
metadata: { name: bench_s3, project: bench }
spec:
  entities: [key]
  timestamp_key: ts
  source:
    kind: csv
    path: ${src}
    attributes:
      schema: { key: string, qty: int64, price: float64, ts: timestamp, category: string }
  targets:
    - name: offline
      kind: parquet
      path: ${target}
      key_bucketing_number: 16
      time_partitioning_granularity: day
${storage}`;
}

/** Every object under `prefix`: key relative to the prefix -> size. */
async function listObjects(client, prefix) {
  const out = new Map();
  let token;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) out.set(o.Key.slice(prefix.length), o.Size);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

/** Every file under `dir`: path relative to it -> size. */
function listFiles(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), statSync(p).size);
    }
  };
  walk(dir);
  return out;
}

const total = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const sameTree = (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** Sluice writes under `<target>/<run id>/`; the single run folder of a fresh target. */
function runFolder(keys) {
  const runs = new Set([...keys.keys()].map((k) => k.split('/')[0]));
  if (runs.size !== 1) throw new Error(`expected one run folder, found ${[...runs].join(', ')}`);
  return [...runs][0];
}

async function sluice(yaml, db) {
  rmSync(db, { force: true });
  const r = await measure(['node', join(ROOT, 'dist/src/cli/main.js'), 'ingest', yaml, '--json'], { SLUICE_DB: db });
  const res = JSON.parse(r.stdout).run.status.results;
  return { ...r, inner: res.timings_ms.totalMs / 1000, runId: res.ingest_run_id, note: `read+write ${res.timings_ms.readWriteMs} ms, commit ${res.timings_ms.commitMs} ms` };
}

async function best(n, fn) {
  let b;
  for (let i = 0; i < n; i++) {
    const x = await fn(i);
    process.stdout.write(`${fmt(x.wall)} s; `);
    if (!b || x.wall < b.wall) b = x;
  }
  console.log(`best ${fmt(b.wall)} s`);
  return b;
}

async function main() {
  const o = args();
  requireCommand('moto_server', 'install it with `pip install "moto[server]"`');
  requireCommand('aws', 'install awscli (`pip install awscli`)');
  const versions = ensureVenv(['duckdb'], ['duckdb']);
  if (o.build) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const runs = join(OUT, 'runs');
  mkdirSync(runs, { recursive: true });
  const csv = join(OUT, `offline-${o.rows}.csv`);
  if (!existsSync(csv)) {
    console.log(`bench: generating ${csv}`);
    await generateCsv(o.rows, csv);
  }
  const awsVersion = execFileSync('aws', ['--version'], { encoding: 'utf8' }).trim().split(' ')[0];

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = await startService('moto_server', ['-H', '127.0.0.1', '-p', String(port)], async () => (await fetch(`${endpoint}/`)).ok, 'moto_server');
  console.log(`bench: moto_server on ${endpoint} (pid ${moto.pid})`);
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const awsEnv = { ...CREDS, AWS_CONFIG_FILE: join(runs, 's3-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(runs, 's3-aws-credentials') };
  writeFileSync(awsEnv.AWS_CONFIG_FILE, '');
  writeFileSync(awsEnv.AWS_SHARED_CREDENTIALS_FILE, '');
  const aws = (...argv) => ['aws', '--endpoint-url', endpoint, 's3', ...argv, '--only-show-errors'];
  const results = [];
  let ok = true;
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));

    // 1. Local disk, for reference.
    process.stdout.write(`bench: sluice local ${o.rows} rows ... `);
    const localDir = join(runs, `s3-local-${o.rows}`);
    const local = await best(o.repeat, async () => {
      rmSync(localDir, { recursive: true, force: true });
      writeFileSync(`${localDir}.yaml`, featureSetYaml(csv, `${localDir}/`));
      return sluice(`${localDir}.yaml`, `${localDir}.db`);
    });
    const localTree = listFiles(join(localDir, local.runId));

    // 2. Sluice straight to S3; each repeat in its own prefix.
    process.stdout.write(`bench: sluice s3 ${o.rows} rows ... `);
    const s3 = await best(o.repeat, async (i) => {
      const yaml = join(runs, `s3-sluice-${i}.yaml`);
      writeFileSync(yaml, featureSetYaml(csv, `s3://${BUCKET}/sluice-${i}/`, endpoint));
      const r = await sluice(yaml, join(runs, `s3-sluice-${i}.db`));
      return { ...r, prefix: `sluice-${i}/${r.runId}/` };
    });
    const sluiceTree = await listObjects(client, s3.prefix);
    if (runFolder(await listObjects(client, s3.prefix.split('/')[0] + '/')) !== s3.runId) ok = false;

    // 3. The files Sluice put on S3, downloaded, then uploaded again with aws s3 cp --recursive.
    const dl = join(runs, `s3-download-${o.rows}`);
    rmSync(dl, { recursive: true, force: true });
    process.stdout.write('bench: aws s3 cp (download, reference) ... ');
    const down = await best(1, () => measure(aws('cp', '--recursive', `s3://${BUCKET}/${s3.prefix}`, dl), awsEnv));
    process.stdout.write('bench: aws s3 cp --recursive (upload) ... ');
    const up = await best(o.repeat, (i) => measure(aws('cp', '--recursive', dl, `s3://${BUCKET}/awscli-${i}/`), awsEnv).then((r) => ({ ...r, prefix: `awscli-${i}/` })));
    const awsTree = await listObjects(client, up.prefix);
    const dlTree = listFiles(dl);

    // Verify: the uploads hold the same keys and bytes; the data equals the local ingest's per partition.
    const same = sameTree(sluiceTree, awsTree) && sameTree(sluiceTree, dlTree);
    const data = JSON.parse(execFileSync(PY, [join(ROOT, 'bench/offline/peers.py'), 'verify', join(localDir, local.runId), dl], { encoding: 'utf8' }).trim());
    console.log(`bench: verify: sluice s3 ${sluiceTree.size} objects ${total(sluiceTree)} B, aws s3 cp ${awsTree.size} objects ${total(awsTree)} B: ` +
      `${same ? 'same keys and sizes' : 'TREES DIFFER'}; local ingest ${localTree.size} files ${total(localTree)} B; ` +
      `data local vs s3 per partition: ${data.agree ? `agree (${data.outputs[0].checksum}, ${data.outputs[0].partitions} partitions, ${data.outputs[0].rows} rows)` : 'DIFFER'}`);
    ok = ok && same && data.agree && localTree.size === sluiceTree.size;
    if (!ok) process.exitCode = 1;

    const row = (tool, step, r, tree, note) => ({ tool, step, files: tree.size, bytes: total(tree), ...r, note: note ?? r.note ?? '' });
    results.push(row('sluice', 'CSV -> partitioned Parquet, local disk', local, localTree));
    results.push(row('sluice', 'CSV -> partitioned Parquet, S3', s3, sluiceTree));
    results.push(row('aws s3 cp', 'upload of the same files', up, awsTree, 'default config (10 concurrent requests)'));
    results.push(row('aws s3 cp', 'download (reference)', down, dlTree, ''));
  } finally {
    moto.stop();
  }
  report(results, o, versions, awsVersion);
}

function report(results, o, versions, awsVersion) {
  let motoVersion = '?';
  try {
    motoVersion = execFileSync('sh', ['-c', 'python3 -c "import moto; print(moto.__version__)" 2>/dev/null || moto_server --version'], { encoding: 'utf8' }).trim();
  } catch { /* informational only */ }
  console.log(`\n${new Date().toISOString().slice(0, 10)}, load average ${loadAverage()}, node ${process.version}, moto ${motoVersion}, ${awsVersion}, duckdb ${versions.duckdb}, ${machine()}`);
  console.log(`rows ${o.rows}; MiB/s and files/s are over wall time (process start to exit)`);
  const MiB = 2 ** 20;
  const up = results.find((r) => r.tool === 'aws s3 cp' && r.step.startsWith('upload'));
  console.log('\n| tool | step | files | MiB | wall s | in-process s | MiB/s | files/s | MiB/s vs aws s3 cp | peak RSS MiB | notes |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const inner = r.inner ?? NaN;
    const ratio = up ? `${fmt(up.wall / r.wall)}x` : '-';
    console.log(`| ${r.tool} | ${r.step} | ${r.files} | ${fmt(r.bytes / MiB, 1)} | ${fmt(r.wall)} | ${fmt(inner)} | ${fmt(r.bytes / MiB / r.wall)} | ${fmt(r.files / r.wall, 0)} | ${ratio} | ${fmt(r.rssMiB, 0)} | ${r.note} |`);
  }
  const s3 = results.find((r) => r.step.endsWith('S3'));
  const local = results.find((r) => r.step.endsWith('local disk'));
  if (s3 && local && up) {
    console.log(`\nsluice to S3 vs aws s3 cp of its output: ${fmt(up.wall / s3.wall)}x the MiB/s (wall); S3 costs sluice ${fmt(s3.wall - local.wall)} s over local disk ` +
      `(aws s3 cp's whole upload: ${fmt(up.wall)} s)`);
  }
}

await main();
