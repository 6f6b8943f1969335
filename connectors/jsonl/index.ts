/**
 * The `jsonl` connector: a streaming JSON-lines source. Loaded lazily by `connectors/registry.ts`.
 *
 * @example
 * const { connector } = await import('./connectors/jsonl/index.js');
 * const src = connector.createSource!(new DataSource({ kind: 'jsonl', path: 'events.jsonl' }));
 */
import type { ConnectorModule, DataSource, SourceContext } from '../../src/index.js';
import { parseJsonlOptions } from './jsonl-options.js';
import { JsonlSource } from './jsonl-source.js';

export { JsonlSource, DEFAULT_BATCH_SIZE } from './jsonl-source.js';
export { parseJsonlOptions } from './jsonl-options.js';
export type { JsonlOptions } from './jsonl-options.js';
export { LineReader } from './line-reader.js';
export { parseJsonExact } from './parse-json-exact.js';
export type { TextLine } from './line-reader.js';

/** The source `attributes` keys this connector parses (the ingestion plan refuses others; the typed options use them). */
export const JSONL_SOURCE_SETTINGS = ['schema', 'time_zone', 'epoch_unit', 'infer_rows', 'on_bad_row', 'quarantine_path', 'max_line_chars'] as const;

/** The jsonl connector module. */
export const connector: ConnectorModule = {
  kind: 'jsonl',
  sourceSettings: JSONL_SOURCE_SETTINGS,
  parseSpec: (spec: DataSource) => parseJsonlOptions(spec),
  createSource: (spec: DataSource, ctx: SourceContext = {}) => new JsonlSource({
    ...parseJsonlOptions(spec, ctx.cwd),
    ...(ctx.columnTypes ? { declared: new Map(Object.entries(ctx.columnTypes)) } : {}),
    ...(ctx.keyFields ? { keyFields: ctx.keyFields } : {}),
    ...(ctx.timeField ? { timeField: ctx.timeField } : {}),
  }, ctx.openRead),
};
