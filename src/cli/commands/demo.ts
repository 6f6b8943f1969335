import type { Command } from 'commander';
import { newTask } from '../../model/new-task.js';
import { run } from '../../run/run-task.js';
import { fileSystemFor } from '../../../connectors/registry.js';
import { openDbFor } from '../db-option.js';
import { printJson } from '../output.js';

/**
 * The demo task: a small hyperparameter sweep that picks the threshold separating two groups of amounts best.
 * It exercises the run side end to end (run db, sweep, results, artifacts, logs).
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the demo task (a hyperparameter sweep) and record it in the run db')
    .option('--json', 'print the run as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const db = await openDbFor(cmd);
      try {
        const amounts = [3, 7, 12, 18, 25, 31, 44, 52, 67, 80];
        const fraud = [false, false, false, false, true, false, true, true, true, true];
        const task = newTask({ name: 'demo-threshold', project: 'demo' }).withHyperParams(
          { threshold: [10, 20, 30, 40, 50] },
          'max.accuracy',
        );
        const r = await run(task, (ctx) => {
          const t = Number(ctx.params.threshold);
          const correct = amounts.filter((a, i) => a > t === fraud[i]).length;
          ctx.logger.info(`threshold ${t}: ${correct}/${amounts.length} correct`);
          return { accuracy: correct / amounts.length };
        }, { db, fileSystemFor });
        if (o.json) printJson(r.toJSON());
        else {
          const res = r.status.results ?? {};
          process.stdout.write(`run ${r.uid} ${await r.state()}: best threshold iteration ${String(res.best_iteration)}, accuracy ${String(res.accuracy)}\n`);
          process.stdout.write(`see it with: sluice runs show ${r.uid}\n`);
        }
        if ((await r.state()) !== 'completed') process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
