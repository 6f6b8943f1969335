import type { Command } from 'commander';
import { Scheduler } from '../../schedule/scheduler.js';
import { builtinConnectors, builtinNotifiers } from '../../../connectors/registry.js';
import { withDb } from '../db-option.js';
import { secondsArg } from './schedule.js';

/** `sluice scheduler`: the long-running daemon. */
export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description('run due schedules until SIGTERM/SIGINT (a running fire may finish within the grace period; then it is aborted, never half-committed)')
    .option('-p, --project <project>', 'only schedules of this project (default: all)')
    .option('--poll <seconds>', 'longest pause between looks at the schedule list', secondsArg('--poll'), 5)
    .option('--grace-period <seconds>', 'how long a running fire may take to finish after SIGTERM before it is aborted', secondsArg('--grace-period'), 30)
    .action(async (o: { project?: string; poll: number; gracePeriod: number }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
        const scheduler = new Scheduler({
          db,
          connectors: builtinConnectors(),
          notifiers: await builtinNotifiers(),
          pollMs: Math.max(50, o.poll * 1000),
          log,
          ...(o.project ? { project: o.project } : {}),
        });
        const stop = new AbortController();
        let signals = 0;
        const onSignal = (sig: NodeJS.Signals) => {
          signals += 1;
          if (signals === 1) {
            log(`${sig}: stopping after the running fires (grace period ${o.gracePeriod} s; send it again to abort them now)`);
            stop.abort();
          } else {
            log(`${sig} again: aborting the running fires`);
            scheduler.abortRunning();
          }
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
        try {
          await scheduler.run({ signal: stop.signal, graceMs: o.gracePeriod * 1000 });
        } finally {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
        }
      });
    });
}
