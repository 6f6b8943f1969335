import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/errors.js';
import type { FileSystem } from '../../../src/storage/file-system.js';
import { LocalFileSystem } from '../../../src/storage/local-file-system.js';
import { resolveFileSystem } from '../../../src/storage/resolve-file-system.js';
import type { FileSystemProvider } from '../../../src/storage/resolve-file-system.js';

describe('resolveFileSystem', () => {
  it('gives the local file system for plain paths and file:// URLs', () => {
    expect(resolveFileSystem('/data/x')).toBeInstanceOf(LocalFileSystem);
    expect(resolveFileSystem('rel/x')).toBeInstanceOf(LocalFileSystem);
    expect(resolveFileSystem('file:///data/x').scheme).toBe('file');
  });

  it('calls the provider registered for the scheme with the parsed path', () => {
    const seen: unknown[] = [];
    const other = new LocalFileSystem({ cwd: '/tmp' });
    const s3: FileSystemProvider = (opts) => {
      seen.push(opts);
      return other;
    };
    expect(resolveFileSystem('s3://lake/fs/a.parquet', { s3 })).toBe(other);
    expect(seen).toEqual([{ scheme: 's3', bucket: 'lake', path: 'fs/a.parquet', url: 's3://lake/fs/a.parquet' }]);
    const file: FileSystemProvider = () => other as FileSystem;
    expect(resolveFileSystem('/x', { file })).toBe(other);
  });

  it('refuses an unknown scheme naming the path and the supported schemes, without a password', () => {
    const err = (() => {
      try {
        resolveFileSystem('s3://lake/fs/');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toBe(
      'path "s3://lake/fs/": no file system for scheme "s3"; supported schemes: file (plain paths and file:// URLs); pass an s3 provider (connectors/s3) to resolveFileSystem',
    );
    expect(() => resolveFileSystem('gs://u:secret@b/k', { s3: () => new LocalFileSystem() })).toThrow(
      'path "gs://u:***@b/k": no file system for scheme "gs"; supported schemes: file (plain paths and file:// URLs), s3://',
    );
  });
});
