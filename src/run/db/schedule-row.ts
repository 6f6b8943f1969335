/** Validation of schedule dicts for the RunDB implementations (pure, no I/O). */
import { SpecError } from '../../errors.js';
import { DEFAULT_PROJECT } from './run-db-support.js';

/** A schedule ready to store: its key and the body with `project` filled in. */
export interface ScheduleRow {
  project: string;
  name: string;
  updatedMs: number;
  body: Record<string, unknown>;
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new SpecError(`${what}: ${JSON.stringify(value)} is not a valid value; expected a non-empty string`);
  }
  return value;
}

/** Checks a schedule dict (`{ name, project?, ... }`) and derives its row; the caller's dict is not changed. */
export function scheduleRow(dict: unknown, now: Date): ScheduleRow {
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
    throw new SpecError(`schedule: expected a dict with a "name", got ${JSON.stringify(dict)?.slice(0, 200)}`);
  }
  const body = structuredClone(dict) as Record<string, unknown>;
  const name = checkName(body.name, 'schedule name');
  const project = body.project === undefined || body.project === null ? DEFAULT_PROJECT : checkName(body.project, `schedule ${name}: project`);
  body.project = project;
  return { project, name, updatedMs: now.getTime(), body };
}

/** Resolves the project of a schedule lookup (`"default"` when not given). */
export function scheduleProject(project: string | undefined): string {
  return project === undefined ? DEFAULT_PROJECT : checkName(project, 'schedule project');
}

/** Checks a schedule name argument. */
export function checkScheduleName(name: unknown): string {
  return checkName(name, 'schedule name');
}
