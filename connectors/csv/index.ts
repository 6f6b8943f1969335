/**
 * The `csv` connector: a streaming CSV source. Loaded lazily by `connectors/registry.ts`.
 *
 * @example
 * const { connector } = await import('./connectors/csv/index.js');
 * const src = connector.createSource!(new DataSource({ kind: 'csv', path: 'events.csv' }));
 */
import type { ConnectorModule, DataSource, FileFormat, SourceContext } from '../../src/index.js';
import { parseCsvOptions } from './csv-options.js';
import { CsvSource } from './csv-source.js';
import { csvFormat } from './csv-format.js';

export { CsvSource, DEFAULT_BATCH_SIZE } from './csv-source.js';
export { parseCsvOptions } from './csv-options.js';
export type { CsvOptions } from './csv-options.js';
export { CsvTokenizer } from './csv-tokenizer.js';
export type { CsvRecord } from './csv-tokenizer.js';
export { csvFormat, parseCsvTargetOptions } from './csv-format.js';
export type { CsvTargetOptions } from './csv-format.js';

/** The source `attributes` keys this connector parses (the ingestion plan refuses others; the typed options use them). */
export const CSV_SOURCE_SETTINGS = ['delimiter', 'header', 'columns', 'schema', 'time_zone', 'epoch_unit', 'infer_rows', 'on_bad_row', 'quarantine_path', 'max_record_chars'] as const;

/** The csv connector module. */
export const connector: ConnectorModule & { fileFormat: FileFormat } = {
  kind: 'csv',
  fileFormat: csvFormat,
  sourceSettings: CSV_SOURCE_SETTINGS,
  parseSpec: (spec: DataSource) => parseCsvOptions(spec),
  createSource: (spec: DataSource, ctx: SourceContext = {}) => new CsvSource({
    ...parseCsvOptions(spec, ctx.cwd),
    ...(ctx.columnTypes ? { declared: new Map(Object.entries(ctx.columnTypes)) } : {}),
    ...(ctx.keyFields ? { keyFields: ctx.keyFields } : {}),
    ...(ctx.timeField ? { timeField: ctx.timeField } : {}),
  }, ctx.openRead),
};
