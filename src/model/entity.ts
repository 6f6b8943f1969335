import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';

export interface EntityOptions {
  name?: string;
  valueType?: string;
  description?: string;
  labels?: Record<string, string>;
}

/**
 * A feature set's entity (join key), or a feature: MLRun's `Entity` / `Feature` with `name` and `value_type`.
 * In YAML an entity may be written as its bare name (`entities: [user_id]`).
 */
export class Entity extends ModelObj {
  static override readonly fields = fields([
    ['name', 'name', T.string],
    ['valueType', 'value_type', T.string],
    ['description', 'description', T.string],
    ['labels', 'labels', T.map(T.string)],
  ]);

  name = '';
  valueType?: string;
  description?: string;
  labels?: Record<string, string>;

  constructor(options: EntityOptions = {}) {
    super();
    assignFields(this, Entity, options);
  }
}
