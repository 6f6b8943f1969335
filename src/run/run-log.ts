import { redact } from '../util/redact.js';
import type { Clock } from '../util/time.js';
import type { RunDB } from './db/run-db.js';
import type { RunLogger } from './run-context.js';

export interface RunLogOptions {
  db: RunDB;
  uid: string;
  project: string;
  /** Secret values to replace with `***` before anything is stored or echoed. */
  secrets: () => Iterable<string>;
  clock: Clock;
  /** Prefix of every line, e.g. `[iter 3] `. */
  prefix?: string;
  /** Also write each line here (e.g. stdout with `watch`). */
  echo?: (line: string) => void;
}

/**
 * A run's log: lines are redacted, time-stamped and appended to the run db in order. Appends are chained so
 * the log keeps the order the handler wrote; `flush()` waits for all of them and surfaces a storage error.
 */
export class RunLog implements RunLogger {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly opts: RunLogOptions) {}

  debug(message: string): void {
    this.write('DEBUG', message);
  }
  info(message: string): void {
    this.write('INFO', message);
  }
  warn(message: string): void {
    this.write('WARN', message);
  }
  error(message: string): void {
    this.write('ERROR', message);
  }

  /** A logger whose lines carry an extra prefix (a sweep child's lines in the parent's log). */
  child(prefix: string): RunLog {
    return new RunLog({ ...this.opts, prefix: `${this.opts.prefix ?? ''}${prefix}` });
  }

  write(level: string, message: string): void {
    const text = redact(String(message), this.opts.secrets());
    const stamp = this.opts.clock().toISOString();
    const lines = text
      .split('\n')
      .map((l) => `${stamp} ${level.padEnd(5)} ${this.opts.prefix ?? ''}${l}\n`)
      .join('');
    this.opts.echo?.(lines);
    this.chain = this.chain
      .then(() => this.opts.db.storeLog(this.opts.uid, lines, { project: this.opts.project }))
      .catch((err: unknown) => {
        this.failure ??= err;
      });
  }

  /** Waits until every line is stored; throws the first storage error, if any. */
  async flush(): Promise<void> {
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }
}
