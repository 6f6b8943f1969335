// Child process of test/integration/redis-stream/redis-stream-crash.test.ts: ingests a Redis stream
// continuously into partitioned Parquet and a Redis online target with runStreamIngestion, reporting progress
// on stdout (`progress <rows>`, `cycle <run id> <rows>`), until the test kills it with SIGKILL.
// argv: <url of the transpiled connectors/index.js> <url of the transpiled connectors/redis/stream/index.js> <config JSON>
import process from 'node:process';

const [sluiceUrl, streamUrl, configJson] = process.argv.slice(2);
const c = JSON.parse(configJson);

try {
  const { FeatureSet, DataSource, DataTargetBase, builtinConnectors } = await import(sluiceUrl);
  const { runStreamIngestion } = await import(streamUrl);
  const fs = new FeatureSet({
    name: 'payments',
    project: 'p1',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'redis-stream', path: c.redisUrl, attributes: c.source }),
    targets: [
      new DataTargetBase({ kind: 'parquet', name: 'offline', path: c.parquetPath, maxEvents: 100, attributes: { max_file_bytes: 1 } }),
      new DataTargetBase({ kind: 'redisnosql', name: 'online', path: c.redisUrl, attributes: { key_prefix: c.keyPrefix } }),
    ],
  });
  await runStreamIngestion(fs, {
    connectors: builtinConnectors(),
    onProgress: (rows) => process.stdout.write(`progress ${rows}\n`),
    onCycle: (r) => process.stdout.write(`cycle ${r.runId} ${r.rowsRead}\n`),
  });
} catch (err) {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
