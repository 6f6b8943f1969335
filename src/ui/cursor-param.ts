import { SpecError } from '../errors.js';
import { checkRunCursor } from '../run/db/run-cursor.js';
import type { RunCursor } from '../run/db/run-db.js';

/** A run cursor as a URL parameter: base64url of its JSON. */
export function encodeCursor(c: RunCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

/** Reads an `after` URL parameter; a value that is not one of ours is a `SpecError` naming it. */
export function decodeCursor(s: string): RunCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw new SpecError(`after=${JSON.stringify(s.slice(0, 80))} is not a page cursor; use the "next" value of the previous page`);
  }
  return checkRunCursor(parsed);
}
