import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';

/** A filter pushed to the reader: `[column, op, value]`. */
export type FilterOp = '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
export const FILTER_OPS: readonly FilterOp[] = ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in'];

export interface DataSourceOptions {
  kind?: string;
  name?: string;
  path?: string;
  attributes?: Record<string, unknown>;
  keyField?: string | string[];
  timeField?: string;
  schedule?: string;
  online?: boolean;
  workers?: number;
  maxAge?: number;
  startTime?: Date | string;
  endTime?: Date | string;
  credentialsPrefix?: string;
}

/**
 * Online or offline data source spec (MLRun's `mlrun.model.DataSource`). `startTime` is exclusive and
 * `endTime` inclusive (`start < t <= end`); both are held as `Date`s and serialised as ISO-8601 with offset.
 * Kind-specific settings (CSV delimiter, SQL query, `additional_filters`, `on_bad_row`, ...) live in
 * `attributes`, as in MLRun.
 *
 * @example
 * const src = new DataSource({ kind: 'csv', path: 'fixtures/data/events.csv', keyField: 'user_id', timeField: 'ts' });
 * src.toDict(); // { kind: 'csv', path: ..., key_field: 'user_id', time_field: 'ts' }
 */
export class DataSource extends ModelObj {
  static override readonly fields = fields([
    ['kind', 'kind', T.string],
    ['name', 'name', T.string],
    ['path', 'path', T.string],
    ['attributes', 'attributes', T.map(T.json)],
    ['keyField', 'key_field', T.stringOrList],
    ['timeField', 'time_field', T.string],
    ['schedule', 'schedule', T.string],
    ['online', 'online', T.boolean],
    ['workers', 'workers', T.intIn(1, 1024)],
    ['maxAge', 'max_age', T.intIn(0, Number.MAX_SAFE_INTEGER)],
    ['startTime', 'start_time', T.date],
    ['endTime', 'end_time', T.date],
    ['credentialsPrefix', 'credentials_prefix', T.string],
  ]);

  kind?: string;
  name?: string;
  path?: string;
  attributes?: Record<string, unknown>;
  keyField?: string | string[];
  timeField?: string;
  schedule?: string;
  online?: boolean;
  workers?: number;
  maxAge?: number;
  startTime?: Date;
  endTime?: Date;
  credentialsPrefix?: string;

  constructor(options: DataSourceOptions = {}) {
    super();
    assignFields(this, DataSource, options);
  }
}
