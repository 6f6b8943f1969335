/**
 * The `dataframe` connector: in-memory rows or an Arrow table. Such a source holds data that a spec cannot
 * carry, so it is built in code with {@link createDataFrameSource}; `createSource` from a spec refuses.
 *
 * @example
 * import { createDataFrameSource } from './connectors/dataframe/index.js';
 * const src = createDataFrameSource([{ id: 1, amount: 2.5 }], { keyField: 'id' });
 */
import { SpecError } from '../../src/index.js';
import type { ConnectorModule, DataSource } from '../../src/index.js';

export { createDataFrameSource, DataFrameSource, DEFAULT_BATCH_SIZE } from './dataframe-source.js';
export type { DataFrameInput, DataFrameSourceOptions } from './dataframe-source.js';

function refuse(spec: DataSource): never {
  throw new SpecError(
    `dataframe source${spec.name ? ` "${spec.name}"` : ''}: a dataframe source holds in-memory data and cannot be built from a spec; ` +
      'build it in code with createDataFrameSource(rowsOrTable, options) from connectors/dataframe',
  );
}

/** The source `attributes` keys this connector parses (the ingestion plan refuses others; the typed options use them). */
export const DATAFRAME_SOURCE_SETTINGS = ['schema'] as const;

/** The dataframe connector module. */
export const connector: ConnectorModule = {
  kind: 'dataframe',
  sourceSettings: DATAFRAME_SOURCE_SETTINGS,
  parseSpec: refuse,
  createSource: refuse,
};
