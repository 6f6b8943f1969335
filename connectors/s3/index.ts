/**
 * The `s3` connector: the S3 file system behind every `s3://bucket/key` path of file sources and targets.
 * Loaded lazily by `connectors/builtin.ts` (`fileSystemFor`) for `s3://` paths; importing it registers nothing.
 *
 * @example
 * const { connector } = await import('./connectors/s3/index.js');
 * const fs = connector.createFileSystem('s3://lake/fs/', { storageOptions, secrets });
 */
import { S3FileSystem } from './s3-file-system.js';
import type { S3FileSystemOptions } from './s3-options.js';
import { parseS3Path } from './s3-path.js';

export { S3FileSystem } from './s3-file-system.js';
export { S3FileWriter, partSizeFor } from './s3-file-writer.js';
export type { S3FileWriterOptions } from './s3-file-writer.js';
export { resolveS3Options, shortKeyId, S3_STORAGE_OPTION_KEYS } from './s3-options.js';
export type { CredentialsSource, ResolvedS3Options, S3FileSystemOptions, S3RetryMode, SecretsLookup } from './s3-options.js';
export { s3Error, describeEndpoint } from './s3-error.js';
export type { S3ErrorContext } from './s3-error.js';
export { parseS3Path, joinS3, dirnameS3, basenameS3 } from './s3-path.js';
export type { S3Location } from './s3-path.js';

/** The connector's kind. */
export const kind = 's3';

/** What the s3 connector module offers: a file system for `s3://` paths. */
export interface S3Connector {
  readonly kind: 's3';
  /**
   * The file system for `path` (checked to be `s3://<bucket>/...`), with endpoint, region and credentials from
   * `options` (storage options, then secrets, then the default chain). One file system serves every bucket.
   */
  createFileSystem(path: string, options?: S3FileSystemOptions): S3FileSystem;
}

/** The s3 connector module: `{ kind, createFileSystem }`. */
export const connector: S3Connector = {
  kind,
  createFileSystem(path: string, options: S3FileSystemOptions = {}): S3FileSystem {
    parseS3Path(path, 'createFileSystem');
    return new S3FileSystem(options);
  },
};
