import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';

export interface FeatureOptions {
  name?: string;
  valueType?: string;
  description?: string;
  labels?: Record<string, string>;
  dims?: number[];
  default?: unknown;
  aggregate?: boolean;
  validator?: Record<string, unknown>;
  origin?: string;
}

/**
 * A feature of a feature set (MLRun's `mlrun.features.Feature`, every key of its `_dict_fields`). Sluice reads
 * `name` and `value_type`; `dims`, `default`, `aggregate` (set by MLRun's aggregation step), `validator` and
 * `origin` are kept as given so an MLRun feature set loads and dumps unchanged.
 */
export class Feature extends ModelObj {
  static override readonly fields = fields([
    ['name', 'name', T.string],
    ['description', 'description', T.string],
    ['valueType', 'value_type', T.string],
    ['dims', 'dims', T.list(T.int)],
    ['default', 'default', T.json],
    ['labels', 'labels', T.map(T.string)],
    ['aggregate', 'aggregate', T.boolean],
    ['validator', 'validator', T.map(T.json)],
    ['origin', 'origin', T.string],
  ]);

  name = '';
  description?: string;
  valueType?: string;
  dims?: number[];
  default?: unknown;
  labels?: Record<string, string>;
  aggregate?: boolean;
  validator?: Record<string, unknown>;
  origin?: string;

  constructor(options: FeatureOptions = {}) {
    super();
    assignFields(this, Feature, options);
  }
}
