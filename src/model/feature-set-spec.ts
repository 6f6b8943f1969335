import { DataSource } from './data-source.js';
import type { DataSourceOptions } from './data-source.js';
import { DataTargetBase } from './data-target-base.js';
import type { DataTargetBaseOptions } from './data-target-base.js';
import { Entity } from './entity.js';
import type { EntityOptions } from './entity.js';
import { Feature } from './feature.js';
import type { FeatureOptions } from './feature.js';
import { fields, T } from './field.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';
import { SpecError } from '../errors.js';

export interface FeatureSetSpecOptions {
  owner?: string;
  description?: string;
  /** Entities: instances, camelCase option objects, or bare names. */
  entities?: Array<Entity | EntityOptions | string>;
  features?: Array<Feature | FeatureOptions>;
  timestampKey?: string;
  labelColumn?: string;
  /** A `DataSource`, or its camelCase options (built into one at construction). */
  source?: DataSource | DataSourceOptions;
  /** `DataTargetBase`s, or their camelCase options (built at construction). */
  targets?: Array<DataTargetBase | DataTargetBaseOptions>;
  engine?: string;
  outputPath?: string;
  passthrough?: boolean;
  partitionKeys?: string[];
  relations?: Record<string, unknown>;
  graph?: Record<string, unknown>;
  analysis?: Record<string, unknown>;
  function?: Record<string, unknown>;
}

/**
 * The spec half of a feature set, in MLRun's shape. `graph`, `analysis`, `function` and `relations` are kept
 * as given (Sluice does not run MLRun graphs) so an MLRun feature set YAML loads and dumps unchanged.
 */
export class FeatureSetSpec extends ModelObj {
  static override readonly fields = fields([
    ['owner', 'owner', T.string],
    ['description', 'description', T.string],
    ['entities', 'entities', T.modelList(() => Entity)],
    ['features', 'features', T.modelList(() => Feature)],
    ['partitionKeys', 'partition_keys', T.list(T.string)],
    ['timestampKey', 'timestamp_key', T.string],
    ['labelColumn', 'label_column', T.string],
    ['relations', 'relations', T.map(T.json)],
    ['source', 'source', T.model(() => DataSource)],
    ['targets', 'targets', T.modelList(() => DataTargetBase)],
    ['graph', 'graph', T.map(T.json)],
    ['analysis', 'analysis', T.map(T.json)],
    ['function', 'function', T.map(T.json)],
    ['engine', 'engine', T.string],
    ['outputPath', 'output_path', T.string],
    ['passthrough', 'passthrough', T.boolean],
  ]);

  owner?: string;
  description?: string;
  entities: Entity[] = [];
  features?: Feature[];
  partitionKeys?: string[];
  timestampKey?: string;
  labelColumn?: string;
  relations?: Record<string, unknown>;
  source?: DataSource;
  targets: DataTargetBase[] = [];
  graph?: Record<string, unknown>;
  analysis?: Record<string, unknown>;
  function?: Record<string, unknown>;
  engine?: string;
  outputPath?: string;
  passthrough?: boolean;

  constructor(options: FeatureSetSpecOptions = {}) {
    super();
    const path = (options as Record<symbol, unknown>)[PATH];
    if (options.entities !== undefined && options.entities !== null && !Array.isArray(options.entities)) {
      throw new SpecError(
        `${typeof path === 'string' ? path : 'FeatureSetSpec'}.entities: ${JSON.stringify(options.entities)} must be a list of entity names or {name, value_type} dicts, e.g. entities: [user_id]`,
      );
    }
    const entities = options.entities?.map((e) => (typeof e === 'string' ? new Entity({ name: e }) : e));
    assignFields(this, FeatureSetSpec, { ...options, ...(entities ? { entities } : {}) });
  }
}
