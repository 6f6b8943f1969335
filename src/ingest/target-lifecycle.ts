import { SluiceError } from '../errors.js';
import type { CommitResult, TargetWriter } from './target-writer.js';

type State = 'open' | 'committing' | 'committed' | 'failed' | 'aborted';

/**
 * Wraps a connector's {@link TargetWriter} with the lifecycle every target shares, so a connector keeps only its
 * own I/O: writes are refused once a commit or abort began; `commit` runs once (a second call is refused); after a
 * failed commit only `abort` is accepted; `abort` is safe at any time, runs the connector's abort at most
 * once, never after a successful commit (committed data is never undone), and never throws.
 */
export function withTargetLifecycle(writer: TargetWriter, where: string): TargetWriter {
  let state: State = 'open';
  let aborting: Promise<void> | undefined;
  const refuse = (what: string) => new SluiceError('CONFLICT', `${where}: cannot ${what}: the writer is ${state}`);
  return {
    async write(batch, o) {
      if (state !== 'open') throw refuse('write');
      await writer.write(batch, o);
    },
    async commit(o): Promise<CommitResult> {
      if (state !== 'open') throw refuse('commit');
      state = 'committing';
      try {
        const res = await writer.commit(o);
        state = 'committed';
        return res;
      } catch (err) {
        state = 'failed';
        throw err;
      }
    },
    async abort(reason) {
      if (state === 'committed') return;
      state = 'aborted';
      aborting ??= writer.abort(reason).catch(() => undefined);
      await aborting;
    },
  };
}
