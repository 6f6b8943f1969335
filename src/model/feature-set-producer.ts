import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';

export interface FeatureSetProducerOptions {
  kind?: string;
  name?: string;
  uri?: string;
  owner?: string;
  sources?: Record<string, string>;
}

/**
 * The run that produced a target's data (MLRun's `FeatureSetProducer`). MLRun never fills it; Sluice does on
 * every commit: `kind` is `run`, `name` the run name, `uri` `<project>@<uid>`, `sources` maps source name → path.
 */
export class FeatureSetProducer extends ModelObj {
  static override readonly fields = fields([
    ['kind', 'kind', T.string],
    ['name', 'name', T.string],
    ['uri', 'uri', T.string],
    ['owner', 'owner', T.string],
    ['sources', 'sources', T.map(T.string)],
  ]);

  kind?: string;
  name?: string;
  uri?: string;
  owner?: string;
  sources?: Record<string, string>;

  constructor(options: FeatureSetProducerOptions = {}) {
    super();
    assignFields(this, FeatureSetProducer, options);
  }
}
