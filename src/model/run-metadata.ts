import { SpecError } from '../errors.js';
import { fields, T } from './field.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';

export interface RunMetadataOptions {
  uid?: string;
  name?: string;
  project?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  iteration?: number;
}

/**
 * Run metadata (MLRun's `mlrun.model.RunMetadata`): who the run is. `iteration` is 0 for a parent or single
 * run and 1..n for hyperparameter children. Label and annotation values are strings.
 *
 * @example
 * const md = new RunMetadata({ name: 'ingest-users', project: 'shop', labels: { owner: 'ana' } });
 */
export class RunMetadata extends ModelObj {
  static override readonly fields = fields([
    ['uid', 'uid', T.string],
    ['name', 'name', T.string],
    ['project', 'project', T.string],
    ['labels', 'labels', T.map(T.string)],
    ['annotations', 'annotations', T.map(T.string)],
    ['iteration', 'iteration', T.intIn(0, 1_000_000)],
  ]);

  uid?: string;
  name?: string;
  project?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  iteration?: number;

  constructor(options: RunMetadataOptions = {}) {
    super();
    assignFields(this, RunMetadata, options);
    if (this.iteration !== undefined && this.iteration < 0) {
      const path = (options as Record<symbol, unknown>)[PATH] ?? 'RunMetadata';
      throw new SpecError(`${String(path)}.iteration: ${this.iteration} is negative; expected 0 (parent run) or a child number from 1`);
    }
  }
}
