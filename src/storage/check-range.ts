import { SpecError } from '../errors.js';
import type { ByteRange } from './file-system.js';

/**
 * Throws a `SpecError` naming the operation, path and range unless `start` and `end` are non-negative safe
 * integers with `start <= end`. (An `end` past the end of the file is valid: reads clamp it.)
 */
export function checkRange(range: ByteRange, op: string, path: string): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new SpecError(
      `${op} ${path}: invalid range { start: ${String(start)}, end: ${String(end)} }; expected integers with 0 <= start <= end (end exclusive)`,
    );
  }
}
