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
export { Feature } from './model/feature.js';
export type { FeatureOptions } from './model/feature.js';
export { parseNotificationCondition, conditionHolds } from './model/notification-condition.js';
export type { NotificationCondition } from './model/notification-condition.js';
export { FeatureSetSpec } from './model/feature-set-spec.js';
export type { FeatureSetSpecOptions } from './model/feature-set-spec.js';
export { FeatureSetStatus } from './model/feature-set-status.js';
export type { FeatureSetStatusOptions } from './model/feature-set-status.js';
export { FeatureSet, FeatureSetMetadata } from './model/feature-set.js';
export type { FeatureSetOptions, FeatureSetMetadataOptions } from './model/feature-set.js';
export { compileExpression, evaluateExpression, ExpressionError, truthy, MAX_EXPRESSION_LENGTH } from './run/expression.js';
export type { Expression, ExpressionErrorKind, EvaluateOptions, MissingNames } from './run/expression.js';
export { generateIterations } from './run/hyper/generate-iterations.js';
export { gridIterations } from './run/hyper/grid.js';
export { listIterations } from './run/hyper/list.js';
export { randomIterations } from './run/hyper/random.js';
export { mulberry32 } from './run/hyper/prng.js';
export { readParamFile, isCsvParamFile } from './run/hyper/param-file.js';
export type { ParamFile, ReadParamFile } from './run/hyper/param-file.js';
export { parseCsvParams } from './run/hyper/parse-csv-params.js';
export type { HyperParams, ParamSet } from './run/hyper/hyperparams.js';
export { validateHyperOptions, HYPER_STRATEGIES, DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_ERRORS } from './run/hyper/hyper-options.js';
export type { HyperOptions, HyperStrategy } from './run/hyper/hyper-options.js';
export { selectBest } from './run/hyper/selector.js';
export type { ChildOutcome } from './run/hyper/selector.js';
export { parseSelector } from './model/hyper-param-options.js';
export type { Selector } from './model/hyper-param-options.js';
export { shouldStop } from './run/hyper/stop-condition.js';
export { SecretsStore, parseSecretSpec, parseSecretsFile, expandEnvVars, SECRET_KINDS, checkSecretKind } from './run/secrets.js';
export type { SecretSourceRecord, SecretsStoreOptions, SecretSpec, SecretKind } from './run/secrets.js';
export { redact, redactDeep, redactUrl, REDACTED } from './util/redact.js';
export { RunStates, RUN_STATES, TERMINAL_STATES, ERROR_STATES, isTerminal, isRunState } from './model/run-states.js';
export type { RunState } from './model/run-states.js';
export { RunMetadata } from './model/run-metadata.js';
export type { RunMetadataOptions } from './model/run-metadata.js';
export { HyperParamOptions, HYPER_PARAM_STRATEGIES } from './model/hyper-param-options.js';
export type { HyperParamOptionsOptions, HyperParamStrategy } from './model/hyper-param-options.js';
export {
  Notification,
  NOTIFICATION_KINDS,
  UNSUPPORTED_NOTIFICATION_KINDS,
  NOTIFICATION_SEVERITIES,
  NOTIFICATION_STATUSES,
  MAX_SECRET_PARAMS_BYTES,
} from './model/notification.js';
export type { NotificationOptions, NotificationKind, NotificationSeverity, NotificationStatus } from './model/notification.js';
export { RunStatus, NotificationDelivery } from './model/run-status.js';
export type { RunStatusOptions, NotificationDeliveryOptions, ArtifactRecord } from './model/run-status.js';
export { RunSpec, parseSecretSource, validateLogHint, UNSUPPORTED_SECRET_KINDS } from './model/run-spec.js';
export type { RunSpecOptions, LogHint, SecretSource } from './model/run-spec.js';
export { RunTemplate } from './model/run-template.js';
export type { RunTemplateOptions, HyperParamExtraOptions } from './model/run-template.js';
export { newTask } from './model/new-task.js';
export type { NewTaskOptions, NewTaskSnakeOptions } from './model/new-task.js';
export type { ReadOptions, Source, SourceStats, SourceContext, OpenRead, ConnectorModule } from './arrow/source.js';
export { COLUMN_TYPE_NAMES, TIME_UNIT_NAMES, parseColumnSpec, parseColumnSchema, arrowTypeOf, checkTimeZone, checkTimeUnit } from './arrow/column-types.js';
export type { ColumnTypeName, ColumnSpec, TimeUnitName } from './arrow/column-types.js';
export type { ColumnParser } from './arrow/column-parser.js';
export { makeColumnParser } from './arrow/make-column-parser.js';
export type { ColumnParserOptions } from './arrow/make-column-parser.js';
export type { TimestampParseOptions } from './arrow/time-parsers.js';
export { RecordBatchBuilder, schemaOf } from './arrow/record-batch-builder.js';
export type { BatchColumn } from './arrow/record-batch-builder.js';
export { ColumnTypeGuess, inferColumnSpecs, DEFAULT_INFER_ROWS } from './arrow/schema-inference.js';
export { columnSpecOfValueType, declaredColumnTypes } from './arrow/declared-column-types.js';
export { parseIsoParts, newIsoParts, daysFromCivil } from './arrow/iso-time.js';
export type { IsoParts } from './arrow/iso-time.js';
export { ZoneOffsets } from './arrow/zone-offsets.js';
export type {
  RunDB,
  RunDict,
  RunMetadataDict,
  RunStatusDict,
  RunFilter,
  RunKeyOptions,
  SignalOptions,
  StoreLogOptions,
  GetLogOptions,
  LogSlice,
  FeatureSetKeyOptions,
  FeatureSetFilter,
  HeartbeatOptions,
  ExpireFilter,
  LockInfo,
} from './run/db/run-db.js';
export { heartbeatSettings, DEFAULT_HEARTBEAT } from './run/heartbeat.js';
export type { HeartbeatSettings } from './run/heartbeat.js';
export { SqliteRunDB, DEFAULT_SQLITE_PATH } from './run/db/sqlite-run-db.js';
export type { SqliteRunDBOptions } from './run/db/sqlite-run-db.js';
export { PostgresRunDB, DEFAULT_PG_SCHEMA } from './run/db/postgres-run-db.js';
export type { PostgresRunDBOptions } from './run/db/postgres-run-db.js';
export { openRunDB } from './run/db/open-run-db.js';
export type { OpenRunDBOptions } from './run/db/open-run-db.js';
export { Partitioner } from './partition/partitioner.js';
export type { PartitionGroup, PartitionerOptions } from './partition/partitioner.js';
export { resolvePartitionSpec, checkPartitionSpec, validatePartitionSpec } from './partition/partition-spec.js';
export type { PartitionSpec, PartitionTargetSettings, PartitionSourceInfo } from './partition/partition-spec.js';
export { HIVE_DEFAULT_PARTITION, encodeHiveValue, decodeHiveValue, decodeHivePath } from './partition/hive-encoding.js';
export type { HiveLevel } from './partition/hive-encoding.js';
export { keyBucket, KeyBucketCache } from './partition/key-bucket.js';
export {
  shouldNotify,
  decideNotification,
  deliveryStatus,
  pushNotifications,
  applyDeliveries,
  consoleNotifier,
  consoleLine,
  defaultNotifiers,
  resolveNotificationParams,
  notificationSecretValues,
  notificationMessage,
  runLabel,
  runState,
  runError,
  retryDelay,
  sleepFor,
} from './run/notify/index.js';
export type {
  Notifier,
  NotifierConnector,
  NotifierMap,
  NotifyContext,
  NotifySecrets,
  NotifiableRun,
  NotifyDecision,
  NotificationDeliveryDict,
  ResolvedParams,
} from './run/notify/index.js';
export { RunObject } from './run/run-object.js';
export type { RunObjectOptions, ArtifactItem, WaitOptions, LogsOptions } from './run/run-object.js';
export { run, storedForm } from './run/run-task.js';
export type { RunOptions } from './run/run-task.js';
export type { Handler } from './run/execute-handler.js';
export type { RunContext, RunLogger, ArtifactInput, RunParams } from './run/run-context.js';
export { bestIteration, sweepIterations } from './run/sweep-iterations.js';
export type { TypedRun, SweepIteration, ResultsOf } from './run/sweep-iterations.js';
export { formatRunSummary } from './run/run-summary.js';
export type { TargetWriter, CommitResult, ManifestFile, FileFormat, FileFormatWriter, FormatOptions } from './ingest/target-writer.js';
export { timeRangeMs } from './ingest/event-time.js';
export { PartitionBuffers, batchBytes } from './ingest/partition-buffers.js';
export type { PartitionBuffer } from './ingest/partition-buffers.js';
export { PartitionedFileWriter, DEFAULT_FLUSH_SETTINGS } from './ingest/partitioned-file-writer.js';
export type { FlushSettings, PartitionedFileWriterOptions } from './ingest/partitioned-file-writer.js';
export { writeManifest, cleanPreviousAttempt, readManifests, MANIFEST_DIR, SUCCESS_FILE } from './ingest/commit-protocol.js';
export type { Manifest } from './ingest/commit-protocol.js';
export { vacuum } from './ingest/vacuum.js';
export type { VacuumOptions, VacuumResult } from './ingest/vacuum.js';
export { resolveFileTarget } from './ingest/resolve-file-target.js';
export type { ResolvedFileTarget } from './ingest/resolve-file-target.js';
export { runIngestion, runPlannedIngestion } from './ingest/ingest-pipeline.js';
export { planIngestion } from './ingest/plan-ingestion.js';
export { describePlan, rebuildPlan } from './ingest/plan-description.js';
export type { PlanDescription } from './ingest/plan-description.js';
export { FILE_TARGET_CAPABILITIES } from './ingest/target-kind.js';
export type { TargetCapabilities, TargetKind } from './ingest/target-kind.js';
export { withTargetLifecycle } from './ingest/target-lifecycle.js';
export type { IngestRequest, IngestionPlan, PlanConnectors, PlannedTarget } from './ingest/plan-ingestion.js';
export { CORE_SOURCE_KEYS, CORE_FILE_TARGET_KEYS, MLRUN_UNUSED_KEYS, checkSettingKeys } from './ingest/setting-keys.js';
export type { IngestConnectors, IngestOptions, IngestResult, TargetContext, TargetOutcome } from './ingest/ingest-pipeline.js';
export type {
  FileSystem,
  FileStat,
  FileWriter,
  FileSystemCapabilities,
  ByteRange,
  ListOptions,
  ReadOptions as FileReadOptions,
  WriteResult,
  WriteBody,
} from './storage/file-system.js';
export { LocalFileSystem } from './storage/local-file-system.js';
export type { LocalFileSystemOptions } from './storage/local-file-system.js';
export { parsePath, schemeOf } from './storage/parse-path.js';
export { joinPath, isAbsolutePath } from './storage/join-path.js';
export { localFileSystemFor } from './storage/file-system-resolver.js';
export type { FileSystemResolver, FileSystemResolverContext } from './storage/file-system-resolver.js';
export type { ParsedPath } from './storage/parse-path.js';
export { storageError, throwIfAborted, errnoCode } from './storage/storage-error.js';
export { writeBody, toBytes } from './storage/write-body.js';
export { checkRange } from './storage/check-range.js';
export { ValueBatchBuilder, valueText } from './arrow/value-batch-builder.js';
export { ValueTypeGuess } from './arrow/value-inference.js';
export type { ValueGuessOptions } from './arrow/value-inference.js';
export { BadRowHandler, ON_BAD_ROW, checkOnBadRow } from './arrow/bad-row-handler.js';
export type { BadRow, OnBadRow } from './arrow/bad-row-handler.js';
export { openLocalFile, resolveLocation, isUrl } from './arrow/open-local-file.js';
export { filterBatches } from './ingest/source-filter.js';
export type { FilterBatchesOptions, FilterCounts } from './ingest/source-filter.js';
export { validateFilters, showFilterValue } from './ingest/filter-spec.js';
export type { SourceFilter } from './ingest/filter-spec.js';
export { coerceFilterValue, columnClass, isTimeType, epochNanos } from './ingest/filter-value.js';
export type { Bound, ColumnClass } from './ingest/filter-value.js';
export { rowStringifier, pythonFloatStr, pythonTimestampStr, pythonDateStr } from './partition/python-str.js';
export type { RowStringifier } from './partition/python-str.js';
export { ingestFeatureSet, featureSetLockName } from './run/ingest-feature-set.js';
export type { IngestFeatureSetOptions, IngestOutcome } from './run/ingest-feature-set.js';
export { CronSchedule, DEFAULT_SCHEDULE_TZ } from './schedule/cron-schedule.js';
export { incrementalWindow, featureSetWatermark } from './ingest/incremental-window.js';
export type { IncrementalWindow, IncrementalWindowOptions } from './ingest/incremental-window.js';
export { newScheduleRecord, resolveSchedule, checkScheduleName } from './schedule/schedule-record.js';
export type { ScheduleRecord, ResolvedSchedule, NewScheduleOptions } from './schedule/schedule-record.js';
export { dueFire, nextFire } from './schedule/due-fire.js';
export { withLease, DEFAULT_LEASE_TTL_MS } from './run/with-lease.js';
export type { LeaseOptions } from './run/with-lease.js';
export { fireSchedule } from './schedule/fire-schedule.js';
export type { FireContext, FireOutcome, FireStatus } from './schedule/fire-schedule.js';
export { Scheduler, newHolderId } from './schedule/scheduler.js';
export type { SchedulerOptions, SchedulerRunOptions } from './schedule/scheduler.js';
export type { ScheduleFilter, ScheduleKeyOptions } from './run/db/run-db.js';
export { WriterLifecycle } from './storage/writer-lifecycle.js';
export { TextChunkReader } from './arrow/text-chunk-reader.js';
export { INVALID_UTF8, Utf8ChunkDecoder } from './arrow/utf8-decoder.js';
export { assembleRowBatches } from './arrow/assemble-row-batches.js';
export type { AssembleRowBatchesOptions, RowBatchBuilder, RowDecoder, RowReader } from './arrow/assemble-row-batches.js';
