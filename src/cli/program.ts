import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerRuns } from './commands/runs.js';
import { registerIngest } from './commands/ingest.js';
import { registerVacuum } from './commands/vacuum.js';
import { registerSchedule } from './commands/schedule.js';
import { registerScheduler } from './commands/scheduler.js';
import { registerOnline } from './commands/online.js';
import { registerInit } from './commands/init.js';
import { registerUi } from './commands/ui.js';
import { packageVersion } from './package-version.js';

/** The `sluice` program: every command, no side effects until parsed. */
export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Feature-store ingestion: sources → partitioned Parquet/CSV and Redis, with every run tracked.')
    .version(packageVersion(), '-V, --version', 'print the sluice version (package.json)')
    .option('--db <url>', 'run db: postgres://..., sqlite:<path> or a file path (default: $SLUICE_DB, else .sluice/runs.db)')
    .configureOutput({ outputError: (str, write) => write(`sluice: ${str.replace(/^error: /, 'error: ')}`) });
  registerDemo(program);
  registerIngest(program);
  registerRuns(program);
  registerVacuum(program);
  registerSchedule(program);
  registerScheduler(program);
  registerOnline(program);
  registerInit(program);
  registerUi(program);
  return program;
}
