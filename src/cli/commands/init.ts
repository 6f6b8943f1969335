import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { SpecError } from '../../errors.js';
import { checkPathPart } from '../../util/path-parts.js';
import { initFiles } from '../init/init-templates.js';
import { packageVersion } from '../package-version.js';

/** `sluice init [dir]`: writes a runnable example project (CSV, feature set YAML, job.ts), like `feast init`. */
export function registerInit(program: Command): void {
  program
    .command('init [dir]')
    .description('create an example project: a small CSV, a feature set with Parquet and Redis targets, and a job.ts that ingests and reads back')
    .option('--project <name>', 'the feature set\'s project', 'quickstart')
    .option('--redis-url <url>', 'the online target\'s Redis', 'redis://127.0.0.1:6379/0')
    .option('--force', 'overwrite files that exist')
    .action(async (dir: string | undefined, o: { project: string; redisUrl: string; force?: boolean }) => {
      const root = resolve(dir ?? '.');
      checkPathPart(o.project, '--project');
      if (!/^rediss?:\/\//.test(o.redisUrl)) throw new SpecError(`--redis-url: "${o.redisUrl}" is not a redis:// or rediss:// URL`);
      const files = initFiles({ project: o.project, redisUrl: o.redisUrl, sluiceVersion: packageVersion() });
      const taken = files.map(([p]) => p).filter((p) => existsSync(join(root, p)));
      if (taken.length > 0 && !o.force) {
        throw new SpecError(`init: ${root} already has ${taken.join(', ')}; choose an empty directory or pass --force to overwrite`);
      }
      for (const [path, text] of files) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
      }
      const cd = relative(process.cwd(), root);
      process.stdout.write(
        `created ${files.map(([p]) => p).join(', ')} in ${root}\n` +
          'next (Redis must be running at ' + o.redisUrl + '):\n' +
          (cd ? `  cd ${cd}\n` : '') +
          '  npm install      # sluice, typescript\n' +
          '  npm run job      # ingests data/transactions.csv into data/offline/ (Parquet) and Redis, then reads features back\n' +
          '  npx sluice ingest featureset.yaml   # the same ingestion from the command line\n',
      );
    });
}
