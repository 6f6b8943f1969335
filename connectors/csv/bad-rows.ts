import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { BadInputError } from '../../src/index.js';
import type { SourceStats } from '../../src/index.js';
import type { OnBadRow } from './csv-options.js';

/** A row that could not be read, with the reason (which names file, line, column and value). */
export interface BadRow {
  line: number;
  reason: string;
  column?: string;
  value?: string;
  /** The row's cells, when it could be split into cells. */
  fields?: string[];
  /** The row's raw text, when it could not. */
  raw?: string;
}

/**
 * Applies `on_bad_row` to bad rows: `error` throws a {@link BadInputError}, `skip` counts the row, and
 * `quarantine` also writes it, with the reason, as one JSON line to the quarantine file (created on the
 * first bad row of a read, replacing the file an earlier read with bad rows left).
 */
export class BadRowHandler {
  private out: WriteStream | undefined;

  constructor(
    private readonly mode: OnBadRow,
    private readonly file: string,
    private readonly quarantinePath: string,
    private readonly stats: SourceStats,
  ) {}

  async handle(row: BadRow): Promise<void> {
    if (this.mode === 'error') {
      throw new BadInputError(`${row.reason}; set attributes.on_bad_row to "skip" or "quarantine" to read past bad rows`);
    }
    if (this.mode === 'skip') {
      this.stats.rowsSkipped++;
      return;
    }
    if (!this.out) {
      await mkdir(dirname(this.quarantinePath), { recursive: true });
      this.out = createWriteStream(this.quarantinePath, { flags: 'w' });
    }
    const line = JSON.stringify({ file: this.file, ...row }) + '\n';
    if (!this.out.write(line)) await once(this.out, 'drain');
    this.stats.rowsQuarantined++;
  }

  /** Flushes and closes the quarantine file, if one was opened. */
  async close(): Promise<void> {
    const out = this.out;
    this.out = undefined;
    if (!out) return;
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
  }
}
