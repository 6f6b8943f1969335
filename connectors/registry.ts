/**
 * The connector registry: kind → lazily imported connector module, and the built-in connectors wired for the
 * core. The only door from `src/cli` to `connectors/` (ARCHITECTURE import rule 2). Importing it loads nothing.
 */
export { loadConnector, connectorKinds } from './loaders.js';
export { builtinConnectors, builtinNotifiers, fileSystemFor, targetKindOf } from './builtin.js';
export type { Connector, FileSystemContext } from './connector.js';
