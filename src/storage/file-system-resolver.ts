import { SpecError } from '../errors.js';
import { redactUrl } from '../util/redact.js';
import type { FileSystem } from './file-system.js';
import { LocalFileSystem } from './local-file-system.js';
import { schemeOf } from './parse-path.js';

/** What a resolver may use to open a file system: secrets by reference (S3 credentials and endpoint). */
export interface FileSystemResolverContext {
  secrets?: { get(key: string): string | undefined };
}

/**
 * Picks the file system for a path (`s3://...` → the S3 connector's). The core cannot import connectors, so
 * whoever wires them (the package entry, the CLI) passes one in, e.g. `connectors/builtin.ts` `fileSystemFor`.
 */
export type FileSystemResolver = (path: string, ctx: FileSystemResolverContext) => Promise<FileSystem>;

/**
 * The resolver the core has on its own: the local file system for plain paths and `file://`; any other scheme
 * is refused, naming the path and the fix.
 */
export const localFileSystemFor: FileSystemResolver = async (path) => {
  const scheme = schemeOf(path);
  if (scheme === 'file') return new LocalFileSystem();
  throw new SpecError(
    `${redactUrl(path)}: no file system for "${scheme}://" here; the core reads local paths and file:// only: use run() from the package entry ('sluice'), or pass fileSystemFor (builtin connectors' fileSystemFor) in the options`,
  );
};
