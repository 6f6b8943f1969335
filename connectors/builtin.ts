/**
 * The built-in connectors wired into the core's {@link IngestConnectors}: sources and targets by kind, file
 * systems by URL scheme, notifiers by kind. Everything is loaded lazily through the registry.
 */
import { FILE_TARGET_CAPABILITIES, LocalFileSystem, SpecError, redactUrl, schemeOf } from '../src/index.js';
import type { DataSource, DataTargetBase, FileSystem, IngestConnectors, Notifier, SourceContext, TargetContext, TargetKind } from '../src/index.js';
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

/** Kinds that can be targets, for messages. */
const TARGET_KINDS = 'parquet, csv, redisnosql (alias redis)';

/**
 * What a target kind is, from its connector: a file format (Parquet, CSV) makes a file target with
 * {@link FILE_TARGET_CAPABILITIES}; `createTarget` makes a connector target with the capabilities it declares.
 */
export async function targetKindOf(kind: string): Promise<TargetKind> {
  const canonical = TARGET_ALIASES[kind] ?? kind;
  const m = await load(canonical).catch(() => undefined);
  if (m?.fileFormat) return { kind: canonical, capabilities: FILE_TARGET_CAPABILITIES, settings: m.fileFormat.settings ?? [], fileFormat: m.fileFormat };
  if (m?.createTarget) return { kind: canonical, capabilities: m.targetCapabilities ?? { files: false, append: true, transactional: false }, settings: m.targetSettings ?? [] };
  throw new SpecError(`target kind ${JSON.stringify(kind)} is not known; target kinds: ${TARGET_KINDS}`);
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
    targetKind: (kind: string) => targetKindOf(kind),
    async sourceSettings(kind: string) {
      return (await load(kind).catch(() => undefined))?.sourceSettings;
    },
    fileSystem: (path, ctx) => fileSystemFor(path, { ...ctx, ...(o.secrets ? { secrets: o.secrets } : {}) }),
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
