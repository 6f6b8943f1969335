import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { withTargetLifecycle } from '../../../src/index.js';
import type { CommitResult, TargetWriter } from '../../../src/index.js';

function recording(o: { failCommit?: boolean } = {}) {
  const calls: string[] = [];
  const writer: TargetWriter = {
    write: async () => void calls.push('write'),
    commit: async (): Promise<CommitResult> => {
      calls.push('commit');
      if (o.failCommit) throw new Error('disk full');
      return { rows: 1, bytes: 1, files: [] };
    },
    abort: async () => {
      calls.push('abort');
      throw new Error('abort failed too');
    },
  };
  return { calls, writer: withTargetLifecycle(writer, 'target "t"') };
}
const batch = tableFromArrays({ a: [1] }).batches[0]!;

describe('withTargetLifecycle', () => {
  it('commits once; a write or a second commit after it is refused; abort after commit changes nothing', async () => {
    const { calls, writer } = recording();
    await writer.write(batch);
    await writer.commit();
    await expect(writer.write(batch)).rejects.toThrow('target "t": cannot write: the writer is committed');
    await expect(writer.commit()).rejects.toThrow('target "t": cannot commit: the writer is committed');
    await writer.abort('late');
    expect(calls).toEqual(['write', 'commit']);
  });

  it('abort is idempotent, never throws, and runs the connector abort once', async () => {
    const { calls, writer } = recording();
    await writer.write(batch);
    await Promise.all([writer.abort('a'), writer.abort('b')]);
    await writer.abort('c');
    expect(calls).toEqual(['write', 'abort']);
    await expect(writer.write(batch)).rejects.toThrow('cannot write: the writer is aborted');
    await expect(writer.commit()).rejects.toThrow('cannot commit: the writer is aborted');
  });

  it('after a failed commit only abort is accepted', async () => {
    const { calls, writer } = recording({ failCommit: true });
    await expect(writer.commit()).rejects.toThrow('disk full');
    await expect(writer.write(batch)).rejects.toThrow('the writer is failed');
    await writer.abort('x');
    expect(calls).toEqual(['commit', 'abort']);
  });
});
