import { SpecError } from '../../src/index.js';

/** An `s3://bucket/key` path taken apart; `key` has no leading slash and is `''` for the bucket root. */
export interface S3Location {
  bucket: string;
  key: string;
}

const S3_RE = /^s3:\/\/([^/]*)\/*(.*)$/i;

/**
 * Splits `s3://bucket/key` into bucket and key (leading slashes of the key dropped). Throws a `SpecError` naming
 * the operation and the path for anything else.
 * @example parseS3Path('s3://lake/fs/part-0.parquet', 'read') // { bucket: 'lake', key: 'fs/part-0.parquet' }
 */
export function parseS3Path(path: string, op: string): S3Location {
  const m = S3_RE.exec(path);
  if (!m || m[1] === '') {
    throw new SpecError(`${op} ${JSON.stringify(path)}: not an S3 path; expected s3://<bucket>/<key>`);
  }
  return { bucket: m[1] as string, key: m[2] as string };
}

/** The key as a directory prefix: `''` for the bucket root, otherwise the key with exactly one trailing `/`. */
export function dirPrefix(key: string): string {
  const k = key.replace(/\/+$/, '');
  return k === '' ? '' : `${k}/`;
}

/** Joins parts with single slashes, keeping the `s3://bucket` head of the first part. */
export function joinS3(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== '');
  if (nonEmpty.length === 0) return '';
  const [head, ...rest] = nonEmpty as [string, ...string[]];
  let out = head.replace(/\/+$/, '');
  for (const part of rest) {
    const trimmed = part.replace(/^\/+|\/+$/g, '');
    if (trimmed !== '') out = `${out}/${trimmed}`;
  }
  return out;
}

/** The parent of a path: `s3://b/a/x` → `s3://b/a`; `s3://b/x` → `s3://b`; the bucket root is its own parent. */
export function dirnameS3(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const head = /^s3:\/\/[^/]*/i.exec(trimmed)?.[0] ?? '';
  const slash = trimmed.lastIndexOf('/');
  if (slash < head.length) return head === '' ? '.' : head;
  return trimmed.slice(0, slash);
}

/** The last segment of a path (`s3://b/a/x.csv` → `x.csv`; the bucket name for the bucket root). */
export function basenameS3(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
