/**
 * The `arrow` connector: an Arrow IPC (file or stream) source. Loaded lazily by `connectors/registry.ts`.
 *
 * @example
 * const { connector } = await import('./connectors/arrow-ipc/index.js');
 * const src = connector.createSource!(new DataSource({ kind: 'arrow', path: 'events.arrow' }));
 */
import type { ConnectorModule, DataSource, SourceContext } from '../../src/index.js';
import { ArrowIpcSource, parseArrowIpcOptions } from './arrow-ipc-source.js';

export { ArrowIpcSource, parseArrowIpcOptions, DEFAULT_BATCH_SIZE } from './arrow-ipc-source.js';
export type { ArrowIpcOptions } from './arrow-ipc-source.js';
export { ipcStreamBytes } from './ipc-bytes.js';

/** The source `attributes` keys this connector parses (the ingestion plan refuses others; the typed options use them). */
export const ARROW_SOURCE_SETTINGS = [] as const;

/** The arrow connector module. */
export const connector: ConnectorModule = {
  kind: 'arrow',
  sourceSettings: ARROW_SOURCE_SETTINGS,
  parseSpec: (spec: DataSource) => parseArrowIpcOptions(spec),
  createSource: (spec: DataSource, ctx: SourceContext = {}) => new ArrowIpcSource(parseArrowIpcOptions(spec, ctx.cwd), ctx.openRead),
};
