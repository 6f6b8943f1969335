/** What `sluice init` writes: a runnable example project (file path → contents). */
export interface InitOptions {
  /** The feature set's project (and so its Redis table `projects/<project>/featuresets/transactions/`). */
  project: string;
  redisUrl: string;
  /** The `sluice` version range the example's package.json asks for. */
  sluiceVersion: string;
}

const CSV = [
  'user_id,amount,category,ts',
  'u001,12.50,grocery,2024-01-01T08:15:00Z',
  'u002,99.90,online,2024-01-01T09:02:00Z',
  'u003,5.20,coffee,2024-01-01T09:30:00Z',
  'u001,43.00,fuel,2024-01-01T12:45:00Z',
  'u004,250.00,travel,2024-01-01T18:20:00Z',
  'u002,18.75,grocery,2024-01-02T07:55:00Z',
  'u003,7.10,coffee,2024-01-02T08:05:00Z',
  'u001,64.30,online,2024-01-02T10:40:00Z',
  'u004,31.00,grocery,2024-01-02T16:10:00Z',
  'u002,120.00,travel,2024-01-02T21:35:00Z',
  '',
].join('\n');

const featureSetYaml = (o: InitOptions) => `# A feature set in MLRun's YAML shape: one CSV source, an offline and an online target.
kind: FeatureSet
metadata:
  name: transactions
  project: ${o.project}
spec:
  entities: [user_id]          # the key column
  timestamp_key: ts            # the event time: time partitions and the online store's newest-wins guard use it
  source:
    kind: csv
    path: data/transactions.csv
  targets:
    - name: offline            # Hive-partitioned Parquet: data/offline/<run_id>/year=/month=/day=/part-*.parquet
      kind: parquet
      path: data/offline/
      time_partitioning_granularity: day
    - name: online             # one Redis hash per user with the newest values
      kind: redisnosql
      path: ${o.redisUrl}
`;

const JOB_TS = `// Ingests data/transactions.csv into Parquet and Redis as a tracked run, then reads features back.
// Build and run: npm run job    (the same ingestion from the command line: npx sluice ingest featureset.yaml)
import { readFileSync } from 'node:fs';
import { FeatureSet, getOnlineFeatures, ingest } from 'sluice';

const featureSet = FeatureSet.fromYaml(readFileSync('featureset.yaml', 'utf8'));
const { run, result } = await ingest(featureSet);
console.log(\`run \${run.uid} \${await run.state()}: \${result?.rowsRead ?? 0} rows read\`);

// Where the data went: the committed run directory of each target (the Redis URL for the online one).
const paths = ((await run.output('data_paths')) ?? {}) as Record<string, string>;
for (const target of featureSet.spec.targets) console.log(\`  \${target.name}: \${paths[target.name ?? '']}\`);

// Read the newest features of some users back from Redis (an unknown user gets nulls).
const rows = await getOnlineFeatures(featureSet, [{ user_id: 'u001' }, { user_id: 'u002' }, { user_id: 'nobody' }]);
for (const row of rows) console.log(JSON.stringify(row));
`;

const packageJson = (o: InitOptions) => `${JSON.stringify({
  name: 'sluice-quickstart',
  private: true,
  type: 'module',
  scripts: { build: 'tsc -p tsconfig.json', job: 'tsc -p tsconfig.json && node dist/job.js' },
  dependencies: { sluice: `^${o.sluiceVersion}` },
  devDependencies: { '@types/node': '^20.19.0', typescript: '^6.0.0' },
}, null, 2)}\n`;

const TSCONFIG = `${JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    types: ['node'],
    skipLibCheck: true,
    outDir: 'dist',
  },
  include: ['job.ts'],
}, null, 2)}\n`;

const GITIGNORE = 'node_modules/\ndist/\n.sluice/\ndata/offline/\n';

/** The example project's files, relative to its directory. */
export function initFiles(o: InitOptions): Array<[path: string, text: string]> {
  return [
    ['data/transactions.csv', CSV],
    ['featureset.yaml', featureSetYaml(o)],
    ['job.ts', JOB_TS],
    ['package.json', packageJson(o)],
    ['tsconfig.json', TSCONFIG],
    ['.gitignore', GITIGNORE],
  ];
}
