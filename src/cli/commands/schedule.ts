import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { NotFoundError, SpecError, errorMessage } from '../../errors.js';
import { Notification } from '../../model/notification.js';
import type { RunDB } from '../../run/db/run-db.js';
import { nextFire } from '../../schedule/due-fire.js';
import type { FireOutcome } from '../../schedule/fire-schedule.js';
import { newScheduleRecord, resolveSchedule, type ScheduleRecord } from '../../schedule/schedule-record.js';
import { Scheduler } from '../../schedule/scheduler.js';
import { formatTime } from '../../util/time.js';
import { builtinConnectors, builtinNotifiers } from '../../../connectors/registry.js';
import { withDb } from '../db-option.js';
import { printJson, printTable } from '../output.js';
import { loadFeatureSetFile } from './ingest.js';

/** A number of seconds >= 0 from a flag. */
export function secondsArg(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag}: "${v}" is not a number of seconds >= 0`);
    return n;
  };
}

async function loadNotifications(path: string): Promise<Notification[]> {
  let doc: unknown;
  try {
    doc = parseYaml(await readFile(path, 'utf8'));
  } catch (err) {
    throw new SpecError(`--notifications ${path}: cannot read it as YAML or JSON: ${errorMessage(err)}`);
  }
  if (!Array.isArray(doc)) throw new SpecError(`--notifications ${path}: expected a list of notifications (kind, name, when, params, ...)`);
  return doc.map((n, i) => Notification.fromDict(n, `${path}[${i}]`));
}

/** Finds one schedule by name (and project); several in different projects need `--project`. */
async function findSchedule(db: RunDB, name: string, project?: string): Promise<Record<string, unknown>> {
  const found = (await db.listSchedules(project ? { project } : {})).filter((d) => d.name === name);
  if (found.length === 0) throw new NotFoundError(`no schedule ${JSON.stringify(name)}${project ? ` in project ${project}` : ''}; list schedules with: sluice schedule list`);
  if (found.length > 1) throw new SpecError(`schedule ${JSON.stringify(name)} exists in projects ${found.map((d) => d.project).join(', ')}; pick one with --project`);
  return found[0] as Record<string, unknown>;
}

/** `dict` for output: notification secret params hidden. */
function shown(dict: Record<string, unknown>): Record<string, unknown> {
  const notes = Array.isArray(dict.notifications) ? (dict.notifications as Record<string, unknown>[]) : undefined;
  if (!notes) return dict;
  return { ...dict, notifications: notes.map((n) => (n.secret_params ? { ...n, secret_params: Object.fromEntries(Object.keys(n.secret_params as object).map((k) => [k, '***'])) } : n)) };
}

function localTime(d: Date, tz: string): string {
  return DateTime.fromJSDate(d, { zone: tz }).toISO({ suppressMilliseconds: true }) ?? formatTime(d);
}

/** Prints fire outcomes; returns whether every fire went well. */
export function printOutcomes(outcomes: FireOutcome[], json: boolean | undefined): boolean {
  if (json) printJson(outcomes.map((x) => ({ ...x, ...(x.fireTime ? { fireTime: formatTime(x.fireTime) } : {}) })));
  else if (outcomes.length === 0) process.stdout.write('no schedule is due\n');
  else {
    for (const x of outcomes) {
      const w = x.window ? ` window (${x.window.start ? formatTime(x.window.start) : '-inf'}, ${formatTime(x.window.end)}]` : '';
      process.stdout.write(`${x.project}/${x.name}: ${x.status}${x.runUid ? ` run ${x.runUid}` : ''}${w}${x.rowsRead !== undefined ? `, ${x.rowsRead} rows read` : ''}${x.error ? `: ${x.error}` : ''}\n`);
    }
  }
  return outcomes.every((x) => x.status !== 'error' && x.status !== 'invalid' && x.status !== 'aborted');
}

/** `sluice schedule add|list|remove|run-due`. */
export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('scheduled, incremental ingestion of feature sets');

  schedule
    .command('add <featureset>')
    .description('schedule a feature set (YAML): each fire appends the rows of (watermark, now - lateness]')
    .option('--cron <expr>', 'cron: 5 fields (min hour day month weekday) or 6 with seconds first (default: spec.source.schedule)')
    .option('--tz <zone>', 'IANA time zone of the cron (default: source attributes.schedule_tz, else UTC)')
    .option('--name <name>', 'schedule name (default: the feature set name)')
    .option('--allowed-lateness <seconds>', 'leave rows younger than this for the next fire (default: attributes.allowed_lateness_seconds, else 0)', secondsArg('--allowed-lateness'))
    .option('--lookback <seconds>', 're-read this margin before the watermark for late rows (default: attributes.lookback_seconds, else 0)', secondsArg('--lookback'))
    .option('--notifications <file>', 'YAML/JSON list of notifications sent after each run')
    .option('--secrets <spec...>', 'secret sources for each run, e.g. env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY')
    .option('--json', 'print the stored schedule as JSON')
    .action(async (file: string, o: { cron?: string; tz?: string; name?: string; allowedLateness?: number; lookback?: number; notifications?: string; secrets?: string[]; json?: boolean }, cmd: Command) => {
      const fs = await loadFeatureSetFile(file);
      const notifications = o.notifications ? await loadNotifications(o.notifications) : undefined;
      const now = new Date();
      const s = newScheduleRecord(fs, {
        ...(o.name ? { name: o.name } : {}),
        ...(o.cron ? { cron: o.cron } : {}),
        ...(o.tz ? { tz: o.tz } : {}),
        ...(o.allowedLateness !== undefined ? { allowedLatenessSeconds: o.allowedLateness } : {}),
        ...(o.lookback !== undefined ? { lookbackSeconds: o.lookback } : {}),
        ...(notifications ? { notifications } : {}),
        ...(o.secrets ? { secrets: o.secrets } : {}),
        featureSetPath: file,
        cwd: process.cwd(),
        now,
      });
      await withDb(cmd, async (db) => {
        const existing = (await db.listSchedules({ project: s.record.project })).find((d) => d.name === s.record.name) as ScheduleRecord | undefined;
        // Re-adding keeps the history, so an update does not fire again for instants already fired.
        const record: ScheduleRecord = { ...s.record, ...(existing ? { created: existing.created } : {}), ...(existing?.last_fire ? { last_fire: existing.last_fire } : {}) };
        await db.storeSchedule(record as unknown as Record<string, unknown>);
        const next = nextFire(resolveSchedule(record));
        if (o.json) return printJson({ ...shown(record as unknown as Record<string, unknown>), next_fire: formatTime(next) });
        process.stdout.write(
          `schedule ${record.project}/${record.name} ${existing ? 'updated' : 'added'}: ${s.cron.expression} (${s.cron.tz}) ingests ${s.featureSet.uri}; next fire ${localTime(next, s.cron.tz)}\n`,
        );
      });
    });

  schedule
    .command('list')
    .description('list schedules with their next fire time')
    .option('-p, --project <project>', 'only this project (default: all)')
    .option('--json', 'print JSON')
    .action(async (o: { project?: string; json?: boolean }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const rows = (await db.listSchedules(o.project ? { project: o.project } : {})).map((dict) => {
          try {
            const s = resolveSchedule(dict);
            return { dict, s, next: nextFire(s) };
          } catch (err) {
            return { dict, error: errorMessage(err) };
          }
        });
        if (o.json) {
          return printJson(rows.map((r) => ({ ...shown(r.dict), ...('next' in r && r.next ? { next_fire: formatTime(r.next) } : {}), ...('error' in r ? { error: r.error } : {}) })));
        }
        printTable(
          ['name', 'project', 'cron', 'tz', 'next fire', 'last fire', 'last run', 'feature set'],
          rows.map((r) => {
            const d = r.dict as unknown as ScheduleRecord;
            if (!('s' in r) || !r.s) return [d.name, d.project, d.cron, d.tz, `invalid: ${r.error}`, d.last_fire, d.last_run?.state, ''];
            return [d.name, d.project, r.s.cron.expression, r.s.cron.tz, localTime(r.next, r.s.cron.tz), d.last_fire, d.last_run ? `${d.last_run.state} ${d.last_run.uid ?? ''}`.trim() : '', r.s.featureSet.uri];
          }),
        );
      });
    });

  schedule
    .command('remove <name>')
    .description('remove a schedule (a running fire finishes; nothing fires afterwards)')
    .option('-p, --project <project>', 'the schedule’s project')
    .action(async (name: string, o: { project?: string }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const found = await findSchedule(db, name, o.project);
        await db.deleteSchedule(name, { project: String(found.project) });
        process.stdout.write(`schedule ${String(found.project)}/${name} removed\n`);
      });
    });

  schedule
    .command('run-due')
    .description('one pass: run every due schedule once and exit (for an external cron or a Kubernetes CronJob)')
    .option('-p, --project <project>', 'only this project (default: all)')
    .option('--json', 'print the outcomes as JSON')
    .action(async (o: { project?: string; json?: boolean }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const scheduler = new Scheduler({ db, connectors: builtinConnectors(), notifiers: await builtinNotifiers(), ...(o.project ? { project: o.project } : {}) });
        if (!printOutcomes(await scheduler.runDue(), o.json)) process.exitCode = 1;
      });
    });
}
