/**
 * Sluice's public API. Explicit named re-exports only; importing this module has no side effects.
 * Connectors import from here, exactly as a third-party connector would.
 */
export { SluiceError, SpecError, NotSupportedError, NotFoundError, BadInputError, AbortedError, TimeoutError, errorMessage } from './errors.js';
export type { ErrorCode, SluiceErrorOptions } from './errors.js';
export { newUid, newRunId } from './util/ids.js';
export { parseTime, formatTime, systemClock } from './util/time.js';
export type { Clock } from './util/time.js';
export { ModelObj, assignFields, dictToOptions } from './model/model-obj.js';
export type { ModelClass } from './model/model-obj.js';
export { fields, T, checkValue } from './model/field.js';
export type { Field, FieldType, ToDictOptions } from './model/field.js';
export { DataSource, FILTER_OPS } from './model/data-source.js';
export type { DataSourceOptions, FilterOp } from './model/data-source.js';
