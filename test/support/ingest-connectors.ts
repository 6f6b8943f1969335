import { FILE_TARGET_CAPABILITIES, LocalFileSystem, SpecError } from '../../src/index.js';
import type { IngestConnectors } from '../../src/index.js';
import { connector as csv } from '../../connectors/csv/index.js';
import { targetKindOf } from '../../connectors/registry.js';
import { parquetFormat } from '../../connectors/parquet/parquet-format.js';
import { csvFormat } from '../../connectors/csv/csv-format.js';

/** Local-only connectors for core ingestion tests: CSV source, Parquet and CSV targets, local file system. */
export function localConnectors(): IngestConnectors {
  const fs = new LocalFileSystem();
  return {
    createSource: async (spec, ctx) => {
      if (spec.kind !== 'csv' || !csv.createSource) throw new SpecError(`test connectors read csv only, not ${spec.kind}`);
      return csv.createSource(spec, ctx);
    },
    targetKind: async (kind) => {
      const fileFormat = kind === 'parquet' ? parquetFormat : kind === 'csv' ? csvFormat : undefined;
      // Other kinds (the Redis target a test adds through createTarget) are described by their connector.
      if (!fileFormat) return targetKindOf(kind);
      return { kind, capabilities: FILE_TARGET_CAPABILITIES, settings: fileFormat.settings ?? [], fileFormat };
    },
    fileSystem: async () => fs,
  };
}
