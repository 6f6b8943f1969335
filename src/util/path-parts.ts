import { SpecError } from '../errors.js';

/**
 * What a run id may be: MLRun's `<epoch_ms>_<n>` or any 1-128 characters of `A-Z a-z 0-9 _ -` starting with a
 * letter or digit. A run id becomes a directory name under the target, so `/`, `\`, `.` and `..` are never allowed.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Checks a run id (SPEC §5) and returns it.
 * @throws SpecError naming `where`, the value and the accepted form.
 * @example checkRunId('1704067200000_1', '--run-id') // '1704067200000_1'
 */
export function checkRunId(id: unknown, where: string): string {
  if (typeof id !== 'string' || !RUN_ID_PATTERN.test(id)) {
    throw new SpecError(`${where}: ${JSON.stringify(id)} is not a valid run id; use <epoch_ms>_<n> like 1704067200000_1, or 1-128 of the characters A-Z a-z 0-9 _ - (starting with a letter or digit)`);
  }
  return id;
}

/**
 * Checks a name that becomes one path segment (a project, a feature set name, a target name): not empty, at most
 * 255 bytes, and none of `/`, `\`, NUL or control characters, nor `.` or `..`.
 * @throws SpecError naming `where` and the value.
 */
export function checkPathPart(value: string, where: string): string {
  // eslint-disable-next-line no-control-regex
  const bad = value === '' || value === '.' || value === '..' || /[/\\\x00-\x1f\x7f]/.test(value) || Buffer.byteLength(value) > 255;
  if (bad) {
    throw new SpecError(`${where}: ${JSON.stringify(value)} cannot be used as a directory name; use 1-255 bytes without /, \\ or control characters, and not . or ..`);
  }
  return value;
}
