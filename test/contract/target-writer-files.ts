/** The TargetWriter contract fixture of a PartitionedFileWriter: one format over one file system, below `base`. */
import { createHash } from 'node:crypto';
import { tableFromIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { DEFAULT_FLUSH_SETTINGS, PartitionedFileWriter, Partitioner, withTargetLifecycle } from '../../src/index.js';
import type { FileFormat, FileSystem } from '../../src/index.js';
import type { TargetFixture } from './target-writer.contract.js';

const isData = (p: string, ext: string): boolean => p.endsWith(`.${ext}`);

/** Ids in one data file of `format` (Parquet through parquet-wasm, CSV by its header). */
function idsOf(bytes: Uint8Array, ext: string): number[] {
  if (ext === 'parquet') return [...(tableFromIPC(pq.readParquet(bytes).intoIPCStream()).getChild('id') ?? [])].map(Number);
  const [header, ...lines] = Buffer.from(bytes).toString('utf8').split('\n').filter((l) => l !== '');
  const col = (header ?? '').split(',').indexOf('id');
  return lines.map((l) => Number(l.split(',')[col]));
}

export function fileTargetFixture(o: {
  fs: FileSystem;
  base: string;
  format: FileFormat;
  /** Every path under `base`, directories included where the store has them. */
  everything: () => Promise<string[]>;
  cleanup: () => Promise<void>;
}): TargetFixture {
  const { fs, base, format } = o;
  const files = async (hidden = false): Promise<string[]> => {
    const out: string[] = [];
    for await (const s of fs.list(base, { recursive: true, includeHidden: hidden })) if (!s.isDirectory) out.push(s.path);
    return out.sort();
  };
  return {
    // The core runs every writer inside withTargetLifecycle (commit once, nothing after commit or abort): the
    // contract holds for what the core runs.
    open: async (runId, { eager = false } = {}) =>
      withTargetLifecycle(new PartitionedFileWriter({
        fs,
        root: fs.join(base, runId),
        format,
        formatOptions: format.parseOptions({}),
        partitioner: new Partitioner({ keyFields: ['id'], keyBucketingNumber: 2, granularity: 'day', timeField: 'ts' }),
        runId,
        settings: eager ? { ...DEFAULT_FLUSH_SETTINGS, maxEvents: 3, maxFileBytes: 1 } : DEFAULT_FLUSH_SETTINGS,
        timeField: 'ts',
      }), `target ${base}`),
    visible: async () => {
      const out = new Map<string, string>();
      for (const p of await files()) out.set(p.slice(base.length), createHash('sha1').update(await fs.read(p)).digest('hex'));
      return out;
    },
    rowIds: async () => {
      const ids: number[] = [];
      for (const p of await files()) if (isData(p, format.extension)) ids.push(...idsOf(await fs.read(p), format.extension));
      return ids.sort((a, b) => a - b);
    },
    anything: o.everything,
    cleanup: o.cleanup,
  };
}
