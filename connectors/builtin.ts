/**
 * The built-in connectors wired into the core's {@link IngestConnectors}: sources and targets by kind, file
 * systems by URL scheme, notifiers by kind. Everything is loaded lazily through the registry.
 */
import { LocalFileSystem, SpecError, redactUrl, schemeOf } from '../src/index.js';
import type { DataSource, DataTargetBase, FileSystem, IngestConnectors, Notifier, SourceContext, TargetContext } from '../src/index.js';
import type { Connector, FileSystemContext } from './connector.js';
import { loadConnector } from './loaders.js';

/** Target kind aliases: MLRun's `redisnosql` is the canonical name of the Redis target. */
const TARGET_ALIASES: Readonly<Record<string, string>> = { redis: 'redisnosql' };

async function load(kind: string): Promise<Connector> {
  return (await loadConnector(kind)) as Connector;
}

/** A file system for a path: local for plain paths and `file://`, the scheme's connector otherwise. */
export async function fileSystemFor(path: string, ctx: FileSystemContext = {}): Promise<FileSystem> {
  const scheme = schemeOf(path);
  if (scheme === 'file') return new LocalFileSystem();
  const m = await load(scheme).catch(() => undefined);
  if (!m?.createFileSystem) throw new SpecError(`${redactUrl(path)}: no file system for scheme "${scheme}://"; supported: local paths, file://, s3://`);
  return m.createFileSystem(path, ctx);
}

async function hasFileSystem(scheme: string): Promise<boolean> {
  const m = await load(scheme).catch(() => undefined);
  return typeof m?.createFileSystem === 'function';
}

/** The built-in connectors as the core's ingestion needs them. */
export function builtinConnectors(o: { secrets?: { get(key: string): string | undefined } } = {}): IngestConnectors {
  return {
    async createSource(spec: DataSource, ctx: SourceContext) {
      const kind = spec.kind ?? '';
      const m = await load(kind);
      if (!m.createSource) throw new SpecError(`source kind "${kind}" cannot be read; it is a ${m.fileFormat ? 'target format' : 'connector without a source'}`);
      const path = spec.path ?? '';
      // Sources whose path is a service URL (sql, redis-stream) connect themselves; files on a remote scheme
      // (s3://) are read through that scheme's file system.
      if (ctx.openRead || !path || schemeOf(path) === 'file' || !(await hasFileSystem(schemeOf(path)))) return m.createSource(spec, ctx);
      // A remote path: stream readers get `openRead`, ranged readers (Parquet) the file system itself.
      const fs = await fileSystemFor(path, {
        ...(spec.credentialsPrefix ? { credentialsPrefix: spec.credentialsPrefix } : {}),
        ...((ctx.secrets ?? o.secrets) ? { secrets: ctx.secrets ?? o.secrets } : {}),
        ...(spec.attributes?.storage_options ? { storageOptions: spec.attributes.storage_options as Record<string, unknown> } : {}),
      });
      const withFs = { ...ctx, openRead: (p: string, ro?: { signal?: AbortSignal }) => fs.openRead(p, ro ?? {}), fileSystem: fs };
      return m.createSource(spec, withFs);
    },
    async fileFormat(kind: string) {
      const m = await load(kind);
      if (!m.fileFormat) throw new SpecError(`"${kind}" is not a file target kind; use parquet or csv`);
      return m.fileFormat;
    },
    fileSystem: (path, ctx) => fileSystemFor(path, { ...ctx, ...(o.secrets ? { secrets: o.secrets } : {}) }),
    async settingKeys(kind: string, role: 'source' | 'target') {
      const m = await load(role === 'target' ? (TARGET_ALIASES[kind] ?? kind) : kind).catch(() => undefined);
      return role === 'source' ? m?.sourceSettings : m?.targetSettings;
    },
    async createTarget(t: DataTargetBase, ctx: TargetContext) {
      const kind = TARGET_ALIASES[t.kind ?? ''] ?? t.kind ?? '';
      const m = await load(kind).catch(() => undefined);
      if (!m?.createTarget) throw new SpecError(`target "${t.name}": kind "${t.kind}" is not supported; use parquet, csv or redisnosql`);
      return m.createTarget(t, ctx);
    },
  };
}

/** Notifiers of the built-in notification connectors (webhook). */
export async function builtinNotifiers(): Promise<Notifier[]> {
  const webhook = await load('webhook');
  return webhook.createNotifier ? [webhook.createNotifier()] : [];
}
