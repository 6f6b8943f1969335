import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { NotFoundError } from '../../errors.js';
import { RUN_STATES } from '../../model/run-states.js';
import type { RunDB } from '../../run/db/run-db.js';
import { RunObject } from '../../run/run-object.js';
import { formatRunSummary } from '../../run/run-summary.js';
import { withDb } from '../db-option.js';
import { printJson, printTable } from '../output.js';

interface RunCmdOptions {
  project?: string;
  json?: boolean;
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${v}" is not a number of seconds`);
  return n;
}

async function loadRun(db: RunDB, uid: string, project?: string): Promise<RunObject> {
  const found = project ? await db.readRun(uid, { project }) : (await db.listRuns({ uid, iteration: 0 }))[0];
  if (!found) throw new NotFoundError(`no run ${uid}${project ? ` in project ${project}` : ''}; list runs with: sluice runs list`);
  return RunObject.fromRecord(found, db);
}

/** `sluice runs list|show|logs|wait|abort`. */
export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('look at tracked runs');

  runs
    .command('list')
    .description('list runs, newest first')
    .option('-p, --project <project>', 'only this project (default: all)')
    .option('-s, --state <state>', `only runs in this state (${RUN_STATES.join(', ')})`)
    .option('-n, --limit <n>', 'at most n runs', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .action(async (o: RunCmdOptions & { state?: string; limit: number }, cmd: Command) => {
      if (o.state && !(RUN_STATES as readonly string[]).includes(o.state)) {
        throw new InvalidArgumentError(`--state "${o.state}" is not a run state; use one of ${RUN_STATES.join(', ')}`);
      }
      await withDb(cmd, async (db) => {
        const list = await db.listRuns({ project: o.project, state: o.state, limit: o.limit });
        if (o.json) return printJson(list);
        printTable(
          ['uid', 'project', 'name', 'state', 'started', 'iterations', 'results'],
          list.map((r) => {
            const st = r.status ?? {};
            const iters = Array.isArray(st.iterations) ? st.iterations.length - 1 : undefined;
            const results = st.results ? Object.entries(st.results as Record<string, unknown>).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : '';
            return [r.metadata.uid, r.metadata.project, r.metadata.name, st.state, st.start_time, iters, results.slice(0, 60)];
          }),
        );
      });
    });

  runs
    .command('show <uid>')
    .description('show one run')
    .option('-p, --project <project>', 'the run’s project')
    .option('--json', 'print JSON')
    .action(async (uid: string, o: RunCmdOptions, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const r = await loadRun(db, uid, o.project);
        if (o.json) return printJson(r.toJSON());
        process.stdout.write(formatRunSummary(r.toDict()));
      });
    });

  runs
    .command('logs <uid>')
    .description('print a run’s log')
    .option('-p, --project <project>', 'the run’s project')
    .option('-f, --follow', 'keep printing until the run ends')
    .option('--json', 'print JSON: { text, offset, state }')
    .action(async (uid: string, o: RunCmdOptions & { follow?: boolean }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const r = await loadRun(db, uid, o.project);
        const res = await r.logs({ watch: o.follow ?? false, write: o.json ? () => undefined : undefined });
        if (o.json) printJson(res);
      });
    });

  runs
    .command('wait <uid>')
    .description('wait until a run ends; exits 1 when it ends in any state but completed')
    .option('-p, --project <project>', 'the run’s project')
    .option('-t, --timeout <seconds>', 'give up after this many seconds (0: never)', positiveNumber, 0)
    .option('--sleep <seconds>', 'seconds between checks', positiveNumber, 1)
    .option('--json', 'print the run as JSON at the end')
    .action(async (uid: string, o: RunCmdOptions & { timeout: number; sleep: number }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const r = await loadRun(db, uid, o.project);
        const state = await r.waitForCompletion({ sleep: o.sleep, timeout: o.timeout, raiseOnFailure: false, showLogs: false });
        if (o.json) printJson(r.toJSON());
        else process.stdout.write(`${r.uid} ${state}${r.error ? `: ${r.error}` : ''}\n`);
        if (state !== 'completed') process.exitCode = 1;
      });
    });

  runs
    .command('abort <uid>')
    .description('abort a run, from any machine that reaches its run db; the process running it stops at its next heartbeat')
    .option('-p, --project <project>', 'the run’s project')
    .option('-w, --wait', 'wait until the run ended; exit 1 unless it ended aborted')
    .option('-t, --timeout <seconds>', 'with --wait, give up after this many seconds (0: never)', positiveNumber, 0)
    .option('--sleep <seconds>', 'with --wait, seconds between checks', positiveNumber, 1)
    .option('--json', 'print the run as JSON at the end')
    .action(async (uid: string, o: RunCmdOptions & { wait?: boolean; timeout: number; sleep: number }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const r = await loadRun(db, uid, o.project);
        let state: string = await r.abort();
        if (o.wait) state = await r.waitForCompletion({ sleep: o.sleep, timeout: o.timeout, raiseOnFailure: false, showLogs: false });
        if (o.json) printJson(r.toJSON());
        else process.stdout.write(`${r.uid} ${state}${r.error ? `: ${r.error}` : ''}\n`);
        if (o.wait && state !== 'aborted') process.exitCode = 1;
      });
    });
}
