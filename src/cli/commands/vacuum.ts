import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { vacuum } from '../../ingest/vacuum.js';
import { builtinConnectors } from '../../../connectors/registry.js';
import { printJson } from '../output.js';

/** `sluice vacuum <target path>`. */
export function registerVacuum(program: Command): void {
  program
    .command('vacuum <path>')
    .description('remove files no manifest lists (leftovers of failed runs) from a target directory or one run directory')
    .option('--min-age <seconds>', 'keep unlisted files younger than this (a run may still be writing them)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${v}" is not a number of seconds`);
      return n;
    }, 3600)
    .option('--dry-run', 'only list what would be removed')
    .option('--json', 'print JSON')
    .action(async (path: string, o: { minAge: number; dryRun?: boolean; json?: boolean }) => {
      const root = path.replace(/\/+$/, '');
      const fs = await builtinConnectors().fileSystem(root, {});
      const res = await vacuum(fs, root, { minAgeSeconds: o.minAge, dryRun: o.dryRun ?? false });
      if (o.json) return printJson(res);
      for (const p of res.removed) process.stdout.write(`${o.dryRun ? 'would remove' : 'removed'} ${p}\n`);
      process.stdout.write(`${res.removed.length} file(s) ${o.dryRun ? 'to remove' : 'removed'}, ${res.kept} committed file(s) kept in ${res.runDirs.length} run director${res.runDirs.length === 1 ? 'y' : 'ies'}\n`);
    });
}
