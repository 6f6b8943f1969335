import { SluiceError, errorMessage } from '../errors.js';

/** Prints a value as JSON on stdout (`--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as an aligned text table. */
export function printTable(headers: string[], rows: Array<Array<string | number | undefined>>): void {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`${line(headers)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of cells) process.stdout.write(`${line(r)}\n`);
}

/**
 * Reports an error on stderr without a stack trace (a Sluice error's message says what to fix) and exits 1.
 * An unexpected error shows its stack only with SLUICE_DEBUG=1.
 */
export function exitWithError(err: unknown): never {
  const msg = errorMessage(err);
  if (err instanceof SluiceError || !process.env.SLUICE_DEBUG) {
    process.stderr.write(`sluice: error: ${msg}\n`);
  } else {
    process.stderr.write(`sluice: error: ${(err as Error).stack ?? msg}\n`);
  }
  process.exit(1);
}

/**
 * Makes a closed stdout (`sluice runs list | head -3`) end the process quietly with exit 0, as Unix tools do,
 * instead of an unhandled EPIPE stack trace; any other stdout error is reported as one line.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    exitWithError(err);
  });
}
