import { SluiceError } from '../errors.js';
import { throwIfAborted } from './storage-error.js';

type WriterState = 'open' | 'closed' | 'aborted';

/**
 * The lifecycle a {@link FileWriter} shares across file systems: writes run one at a time in call order; the
 * first failure (or the signal firing) discards what was staged, once, and every later call rethrows it; a
 * writer that is closed or aborted refuses more work. The writer supplies `discard`, which drops the staged
 * data (a staging file, a multipart upload).
 *
 * @example
 * const life = new WriterLifecycle(path, signal, () => rm(staging, { force: true }));
 * await life.write(() => handle.write(chunk));
 * await life.beginClose(); // then publish; on failure `await life.discard()`
 */
export class WriterLifecycle {
  #state: WriterState = 'open';
  #chain: Promise<void> = Promise.resolve();
  #failure: unknown;
  #discarding: Promise<void> | undefined;

  constructor(
    /** The path as the caller gave it, for messages. */
    private readonly shownPath: string,
    private readonly signal: AbortSignal | undefined,
    private readonly discardStaged: () => Promise<void>,
  ) {}

  /** Runs `step` after the earlier writes, if the writer is still usable. */
  write(step: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(async () => {
      this.#checkUsable('write');
      await step();
    });
    // The chain goes on after a failed write so that later calls report the failure instead of hanging.
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** Waits for the writes, checks the writer is usable and marks it closed; the caller then publishes. */
  async beginClose(): Promise<void> {
    await this.#chain;
    this.#checkUsable('close');
    this.#state = 'closed';
  }

  /** Waits for the writes and discards the staged data, unless the writer was closed successfully. */
  async abort(): Promise<void> {
    await this.#chain;
    if (this.#state === 'closed' && this.#discarding === undefined) return;
    if (this.#state === 'open') this.#state = 'aborted';
    await this.discard();
  }

  /** Records the first failure and, if the writer was open, discards the staged data; returns `err`. */
  fail(err: unknown): unknown {
    this.#failure ??= err;
    if (this.#state === 'open') {
      this.#state = 'aborted';
      void this.discard();
    }
    return err;
  }

  /** Discards the staged data, once; later calls wait for the same discard. */
  discard(): Promise<void> {
    this.#discarding ??= this.discardStaged();
    return this.#discarding;
  }

  /** Throws when the writer is finished, failed, or its signal aborted (then the staged data goes). */
  #checkUsable(op: string): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#state !== 'open') {
      throw new SluiceError('IO', `${op} ${this.shownPath}: the writer is already ${this.#state === 'closed' ? 'closed' : 'aborted'}`);
    }
    try {
      throwIfAborted(this.signal, op, this.shownPath);
    } catch (err) {
      throw this.fail(err);
    }
  }
}
