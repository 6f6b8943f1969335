import { isAbsolute, resolve } from 'node:path';
import { SpecError } from '../errors.js';
import { FeatureSet } from '../model/feature-set.js';
import { Notification } from '../model/notification.js';
import { formatTime, parseTime } from '../util/time.js';
import { CronSchedule, DEFAULT_SCHEDULE_TZ } from './cron-schedule.js';
import { checkSeconds } from '../ingest/incremental-window.js';

/** A schedule name: letters, digits, `_ . -`, starting with a letter or digit (as feature-set names). */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * A stored schedule, in its wire (dict) form as the run db keeps it. Settings left out fall back to the
 * feature set's source: `cron` to `spec.source.schedule`, `tz` to `attributes.schedule_tz` (then UTC),
 * `allowed_lateness_seconds` / `lookback_seconds` to the source attributes of the same names (then 0).
 */
export interface ScheduleRecord {
  name: string;
  project: string;
  cron?: string;
  tz?: string;
  /** The whole feature set (spec; status is read from the run db at each run). */
  feature_set: Record<string, unknown>;
  /** The YAML file the feature set came from, for people reading `schedule list`. */
  feature_set_path?: string;
  /** The directory `schedule add` ran in: relative local paths of the source and targets were made absolute against it. */
  cwd?: string;
  allowed_lateness_seconds?: number;
  lookback_seconds?: number;
  /** Notification dicts (MLRun's shape) passed to every run. */
  notifications?: Record<string, unknown>[];
  /** Secret sources as `newTask` takes them (`env=A,B`, `file=path`): references, never values. */
  secrets?: string[];
  /** When the schedule was stored first; fires before it are not due. */
  created: string;
  /** The scheduled instant of the last fire (ISO-8601). */
  last_fire?: string;
  /** The last run: uid, state and window. */
  last_run?: { uid?: string; state: string; start_time?: string; end_time?: string; error?: string };
  /** The run id of a fire that started and has not ended (it crashed): the next fire re-runs under it. */
  in_flight?: { run_id: string; started: string };
}

/** A schedule with every setting resolved and checked. */
export interface ResolvedSchedule {
  record: ScheduleRecord;
  cron: CronSchedule;
  featureSet: FeatureSet;
  allowedLatenessSeconds: number;
  lookbackSeconds: number;
  notifications: Notification[];
  /** The lock that keeps runs of this schedule apart: `schedule:<project>/<name>`. */
  lockName: string;
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a schedule name; the error names the value and the rule. */
export function checkScheduleName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw new SpecError(`schedule name ${JSON.stringify(name)} is not valid; it must start with a letter or digit and hold only letters, digits, _ . -`);
  }
  return name;
}

/**
 * Resolves and checks a stored schedule dict: the feature set parses, the cron and time zone are valid, the
 * feature set has a time field (incremental windows filter on it), lateness and lookback are seconds >= 0.
 * Errors name the schedule and the bad key.
 */
export function resolveSchedule(dict: unknown): ResolvedSchedule {
  if (!isDict(dict)) throw new SpecError(`schedule: expected a dict, got ${JSON.stringify(dict)?.slice(0, 200)}`);
  const name = checkScheduleName(dict.name);
  const where = `schedule ${name}`;
  if (!isDict(dict.feature_set)) throw new SpecError(`${where}: feature_set is missing; expected the feature set dict`);
  let featureSet: FeatureSet;
  try {
    featureSet = FeatureSet.fromDict(dict.feature_set, 'feature_set');
  } catch (err) {
    throw new SpecError(`${where}: ${(err as Error).message}`, { cause: err });
  }
  const source = featureSet.spec.source;
  const attrs = source?.attributes ?? {};
  const cronExpr = (dict.cron as string | undefined) ?? source?.schedule;
  if (!cronExpr) throw new SpecError(`${where}: no cron; give --cron or set spec.source.schedule in the feature set (e.g. "*/30 * * * *")`);
  const tz = (dict.tz as string | undefined) ?? (attrs.schedule_tz as string | undefined) ?? DEFAULT_SCHEDULE_TZ;
  const cron = new CronSchedule(cronExpr, tz, `${where}: cron`);
  if (!source?.kind) throw new SpecError(`${where}: feature set ${featureSet.uri} has no spec.source with a kind; a schedule reads its source`);
  if (!(source.timeField ?? featureSet.spec.timestampKey)) {
    throw new SpecError(
      `${where}: feature set ${featureSet.uri} has no time field; incremental runs read (watermark, now] by event time, so set spec.timestamp_key or spec.source.time_field`,
    );
  }
  const allowedLatenessSeconds = checkSeconds(dict.allowed_lateness_seconds ?? attrs.allowed_lateness_seconds, `${where}: allowed_lateness_seconds`);
  const lookbackSeconds = checkSeconds(dict.lookback_seconds ?? attrs.lookback_seconds, `${where}: lookback_seconds`);
  const rawNotes = dict.notifications ?? [];
  if (!Array.isArray(rawNotes)) throw new SpecError(`${where}: notifications ${JSON.stringify(rawNotes)} is not a list of notification dicts`);
  const notifications = rawNotes.map((n, i) => Notification.fromDict(n, `${where}: notifications[${i}]`));
  if (dict.secrets !== undefined && (!Array.isArray(dict.secrets) || dict.secrets.some((s) => typeof s !== 'string'))) {
    throw new SpecError(`${where}: secrets ${JSON.stringify(dict.secrets)} is not a list of secret sources such as "env=API_KEY"`);
  }
  parseTime(dict.created, `${where}: created`);
  if (dict.last_fire !== undefined) parseTime(dict.last_fire, `${where}: last_fire`);
  const project = typeof dict.project === 'string' && dict.project ? dict.project : featureSet.project;
  const record = { ...dict, name, project } as unknown as ScheduleRecord;
  return { record, cron, featureSet, allowedLatenessSeconds, lookbackSeconds, notifications, lockName: `schedule:${project}/${name}` };
}

/** A relative local path made absolute against `cwd`, keeping a trailing `/` (it marks a directory target). */
function absolute(path: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || isAbsolute(path)) return path;
  const abs = resolve(cwd, path);
  return /[/\\]$/.test(path) ? `${abs}/` : abs;
}

/** Options of {@link newScheduleRecord}. */
export interface NewScheduleOptions {
  /** Default: the feature set's name. */
  name?: string;
  /** Default: `spec.source.schedule`. */
  cron?: string;
  /** Default: `attributes.schedule_tz` of the source, else UTC. */
  tz?: string;
  allowedLatenessSeconds?: number;
  lookbackSeconds?: number;
  notifications?: Notification[];
  secrets?: string[];
  featureSetPath?: string;
  cwd?: string;
  now: Date;
}

/**
 * A new schedule record for a feature set, checked with {@link resolveSchedule}. The stored feature set gets
 * `spec.source.schedule` = the cron (it marks the source as scheduled, MLRun's append default) and no status;
 * with `cwd`, relative local source and target paths become absolute, so the daemon's working directory does not matter.
 */
export function newScheduleRecord(featureSet: FeatureSet, o: NewScheduleOptions): ResolvedSchedule {
  const fs = FeatureSet.fromDict(featureSet.toDict());
  const cron = o.cron ?? fs.spec.source?.schedule;
  if (fs.spec.source && cron) fs.spec.source.schedule = cron;
  if (o.cwd) {
    const cwd = o.cwd;
    if (fs.spec.source?.path) fs.spec.source.path = absolute(fs.spec.source.path, cwd);
    for (const t of fs.spec.targets) if (t.path) t.path = absolute(t.path, cwd);
  }
  const dict = fs.toDict();
  delete dict.status;
  const record: ScheduleRecord = {
    name: checkScheduleName(o.name ?? fs.name),
    project: fs.project,
    ...(cron ? { cron } : {}),
    ...(o.tz ? { tz: o.tz } : {}),
    feature_set: dict,
    ...(o.featureSetPath ? { feature_set_path: o.featureSetPath } : {}),
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.allowedLatenessSeconds !== undefined ? { allowed_lateness_seconds: o.allowedLatenessSeconds } : {}),
    ...(o.lookbackSeconds !== undefined ? { lookback_seconds: o.lookbackSeconds } : {}),
    ...(o.notifications?.length ? { notifications: o.notifications.map((n) => n.toDict()) } : {}),
    ...(o.secrets?.length ? { secrets: o.secrets } : {}),
    created: formatTime(o.now),
  };
  return resolveSchedule(record);
}
