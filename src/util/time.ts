import { SpecError } from '../errors.js';

/** A clock; injectable so tests can move time. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 date or date-time. A string without an offset is read as UTC (Sluice's rule for naive
 * times). Throws a {@link SpecError} naming `what` when the value is not a date.
 */
export function parseTime(value: unknown, what: string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SpecError(`${what}: invalid Date; expected an ISO-8601 time such as 2024-01-05T10:00:00Z`);
    return value;
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (ISO_RE.test(s)) {
      const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
      const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
      const normalised = s.replace(' ', 'T');
      const d = new Date(hasOffset ? normalised : isDateOnly ? `${normalised}T00:00:00Z` : `${normalised}Z`);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  throw new SpecError(`${what}: ${JSON.stringify(value)} is not a time; expected an ISO-8601 time such as 2024-01-05T10:00:00Z (no offset means UTC)`);
}

/** ISO-8601 with an explicit offset (`+00:00`), the form Sluice writes. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '+00:00');
}
