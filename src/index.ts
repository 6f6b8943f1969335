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
export { DataTargetBase, TIME_GRANULARITIES } from './model/data-target-base.js';
export type { DataTargetBaseOptions, TimeGranularity } from './model/data-target-base.js';
export { DataTarget, TARGET_STATES } from './model/data-target.js';
export type { DataTargetOptions, TargetState } from './model/data-target.js';
export { FeatureSetProducer } from './model/feature-set-producer.js';
export type { FeatureSetProducerOptions } from './model/feature-set-producer.js';
export { TargetPathObject, RUN_ID_PLACEHOLDER } from './model/target-path-object.js';
export { Entity } from './model/entity.js';
export type { EntityOptions } from './model/entity.js';
export { FeatureSetSpec } from './model/feature-set-spec.js';
export type { FeatureSetSpecOptions } from './model/feature-set-spec.js';
export { FeatureSetStatus } from './model/feature-set-status.js';
export type { FeatureSetStatusOptions } from './model/feature-set-status.js';
export { FeatureSet, FeatureSetMetadata } from './model/feature-set.js';
export type { FeatureSetOptions, FeatureSetMetadataOptions } from './model/feature-set.js';
