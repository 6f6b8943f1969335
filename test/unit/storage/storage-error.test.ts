import { describe, expect, it } from 'vitest';
import { AbortedError, NotFoundError, SluiceError, SpecError } from '../../../src/errors.js';
import { storageError, throwIfAborted } from '../../../src/storage/storage-error.js';

const errno = (code: string): Error => Object.assign(new Error(`${code}: raw node message`), { code });

describe('storageError', () => {
  it('names the operation and path and maps a missing file to NotFoundError', () => {
    const e = storageError('read', '/x/y.parquet', errno('ENOENT'));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe('read /x/y.parquet: no such file');
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('marks busy and temporarily unavailable resources retryable, others not', () => {
    for (const code of ['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE']) {
      const e = storageError('write', '/x', errno(code));
      expect(e.retryable, code).toBe(true);
      expect(e.code).toBe('IO');
      expect(e.message).toMatch(new RegExp(`^write /x: .*retry \\(${code}\\)$`));
    }
    for (const code of ['EACCES', 'ENOSPC', 'EISDIR']) expect(storageError('write', '/x', errno(code)).retryable, code).toBe(false);
    expect(storageError('write', '/x', errno('ENOSPC')).message).toBe('write /x: no space left on device (ENOSPC)');
  });

  it('keeps the raw message for unknown codes, passes SluiceErrors through, maps AbortError', () => {
    expect(storageError('stat', '/x', errno('EWEIRD')).message).toBe('stat /x: EWEIRD: raw node message');
    const spec = new SpecError('bad');
    expect(storageError('read', '/x', spec)).toBe(spec);
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(storageError('read', '/x', abort)).toBeInstanceOf(AbortedError);
    expect(storageError('read', '/x', 'odd')).toBeInstanceOf(SluiceError);
  });

  it('throwIfAborted names the operation and path', () => {
    expect(() => throwIfAborted(undefined, 'read', '/x')).not.toThrow();
    expect(() => throwIfAborted(AbortSignal.abort(), 'read', '/x')).toThrow('read /x: aborted');
  });
});
