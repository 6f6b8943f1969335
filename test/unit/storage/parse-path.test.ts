import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/errors.js';
import { parsePath, schemeOf } from '../../../src/storage/parse-path.js';

describe('parsePath', () => {
  it('takes plain paths and file:// URLs as local', () => {
    expect(parsePath('/data/fs/a.parquet')).toEqual({ scheme: 'file', path: '/data/fs/a.parquet' });
    expect(parsePath('rel/x.csv')).toEqual({ scheme: 'file', path: 'rel/x.csv' });
    expect(parsePath('file:///tmp/a%20b.csv')).toEqual({ scheme: 'file', path: '/tmp/a b.csv' });
    expect(parsePath('C:\\data\\x.csv').scheme).toBe('file');
  });

  it('splits object-store URLs into bucket and key', () => {
    expect(parsePath('s3://lake/fs/part-0.parquet')).toEqual({ scheme: 's3', bucket: 'lake', path: 'fs/part-0.parquet' });
    expect(parsePath('S3://lake')).toEqual({ scheme: 's3', bucket: 'lake', path: '' });
    expect(parsePath('s3://lake/')).toEqual({ scheme: 's3', bucket: 'lake', path: '' });
    expect(parsePath('gs://b//k')).toEqual({ scheme: 'gs', bucket: 'b', path: 'k' });
  });

  it('refuses a URL without a bucket and a remote file URL, naming the path', () => {
    expect(() => parsePath('s3:///key')).toThrow(SpecError);
    expect(() => parsePath('s3:///key')).toThrow(/"s3:\/\/\/key": no bucket; expected s3:\/\/<bucket>\/<key>/);
    expect(() => parsePath('file://otherhost/x')).toThrow(/file:\/\/otherhost\/x.*file:\/\/\/absolute\/path/);
  });

  it('schemeOf defaults to file', () => {
    expect(schemeOf('/x')).toBe('file');
    expect(schemeOf('S3://b/k')).toBe('s3');
  });
});
