import { SpecError } from '../errors.js';
import { redactUrl } from '../util/redact.js';
import type { FileSystem } from './file-system.js';
import { LocalFileSystem } from './local-file-system.js';
import type { LocalFileSystemOptions } from './local-file-system.js';
import { parsePath } from './parse-path.js';
import type { ParsedPath } from './parse-path.js';

/** Builds the file system for one path of its scheme; gets the path taken apart (and the path itself as `url`). */
export type FileSystemProvider = (opts: ParsedPath & { url: string }) => FileSystem;

/**
 * File systems by scheme, passed in by the caller (the CLI wires `s3` from connectors/s3; `src/` never imports
 * connectors). An entry for `file` replaces the default local file system.
 */
export type FileSystemProviders = Readonly<Record<string, FileSystemProvider>>;

export interface ResolveFileSystemOptions {
  /** Options of the default local file system. */
  local?: LocalFileSystemOptions;
}

/**
 * The file system for `path`: a plain path or `file://` URL gets the local file system, any other scheme the
 * provider registered for it. An unknown scheme is a `SpecError` naming the path and the supported schemes.
 * @example
 * const fs = resolveFileSystem('s3://lake/fs/', { s3: ({ bucket }) => createS3FileSystem({ bucket }) });
 */
export function resolveFileSystem(path: string, providers: FileSystemProviders = {}, options: ResolveFileSystemOptions = {}): FileSystem {
  const parsed = parsePath(path);
  const provider = Object.hasOwn(providers, parsed.scheme) ? providers[parsed.scheme] : undefined;
  if (provider !== undefined) return provider({ ...parsed, url: path });
  if (parsed.scheme === 'file') return new LocalFileSystem(options.local);
  const supported = ['file (plain paths and file:// URLs)', ...Object.keys(providers).filter((s) => s !== 'file').map((s) => `${s}://`)];
  throw new SpecError(
    `path ${JSON.stringify(redactUrl(path))}: no file system for scheme "${parsed.scheme}"; supported schemes: ${supported.join(', ')}` +
      (parsed.scheme === 's3' ? '; pass an s3 provider (connectors/s3) to resolveFileSystem' : ''),
  );
}
