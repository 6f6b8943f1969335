import { fields, T } from './field.js';
import { DATA_TARGET_BASE_FIELDS, validateTargetSettings } from './data-target-base.js';
import type { TimeGranularity } from './data-target-base.js';
import { FeatureSetProducer } from './feature-set-producer.js';
import { assignFields, ModelObj } from './model-obj.js';

/** A target's state in a feature set's status. */
export const TARGET_STATES = ['created', 'ready', 'error'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

const pick = (keys: string[]) => DATA_TARGET_BASE_FIELDS.filter((f) => keys.includes(f.key));

export interface DataTargetOptions {
  kind?: string;
  name?: string;
  path?: string;
  online?: boolean;
  attributes?: Record<string, unknown>;
  startTime?: Date | string;
  status?: TargetState;
  updated?: Date | string;
  size?: number;
  lastWritten?: Date | string;
  runId?: string;
  partitioned?: boolean;
  keyBucketingNumber?: number;
  partitionCols?: string[];
  timePartitioningGranularity?: TimeGranularity;
  credentialsPrefix?: string;
  rows?: number;
  producer?: FeatureSetProducer;
}

/**
 * A target as recorded in a feature set's status after a run (MLRun's `mlrun.model.DataTarget`): the templated
 * path (with `{run_id}`), the run id, the partitioning used, `status` (`created` → `ready` | `error`), `updated`,
 * `size` in bytes, `last_written` (the newest event time written, the watermark of incremental ingestion).
 * Sluice adds `rows` and fills `producer`; MLRun ignores keys it does not know, so the dict still loads there.
 */
export class DataTarget extends ModelObj {
  static override readonly fields = [
    ...pick(['name', 'kind', 'path', 'attributes']),
    ...fields([
      ['startTime', 'start_time', T.date],
      ['online', 'online', T.boolean],
      ['status', 'status', T.enum(TARGET_STATES)],
      ['updated', 'updated', T.date],
      ['size', 'size', T.intIn(0, Number.MAX_SAFE_INTEGER)],
      ['lastWritten', 'last_written', T.date],
    ]),
    ...pick(['run_id', 'partitioned', 'key_bucketing_number', 'partition_cols', 'time_partitioning_granularity', 'credentials_prefix']),
    ...fields([
      ['rows', 'rows', T.intIn(0, Number.MAX_SAFE_INTEGER)],
      ['producer', 'producer', T.model(() => FeatureSetProducer)],
    ]),
  ];

  name = '';
  kind?: string;
  path?: string;
  attributes?: Record<string, unknown>;
  startTime?: Date;
  online?: boolean;
  status?: TargetState;
  updated?: Date;
  size?: number;
  lastWritten?: Date;
  runId?: string;
  partitioned?: boolean;
  keyBucketingNumber?: number;
  partitionCols?: string[];
  timePartitioningGranularity?: TimeGranularity;
  credentialsPrefix?: string;
  rows?: number;
  producer?: FeatureSetProducer;

  constructor(options: DataTargetOptions = {}) {
    super();
    assignFields(this, DataTarget, options);
    validateTargetSettings(this, 'DataTarget');
  }
}
