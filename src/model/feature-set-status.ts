import { DataTarget } from './data-target.js';
import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';

export interface FeatureSetStatusOptions {
  state?: string;
  targets?: DataTarget[];
  stats?: Record<string, unknown>;
  preview?: unknown[];
  functionUri?: string;
  runUri?: string;
}

/** The status half of a feature set: one {@link DataTarget} per written target, keyed by target name. */
export class FeatureSetStatus extends ModelObj {
  static override readonly fields = fields([
    ['state', 'state', T.string],
    ['targets', 'targets', T.modelList(() => DataTarget)],
    ['stats', 'stats', T.map(T.json)],
    ['preview', 'preview', T.list(T.json)],
    ['functionUri', 'function_uri', T.string],
    ['runUri', 'run_uri', T.string],
  ]);

  state?: string;
  targets: DataTarget[] = [];
  stats?: Record<string, unknown>;
  preview?: unknown[];
  functionUri?: string;
  runUri?: string;

  constructor(options: FeatureSetStatusOptions = {}) {
    super();
    assignFields(this, FeatureSetStatus, options);
  }

  /** The status entry of the target with this name. */
  getTarget(name: string): DataTarget | undefined {
    return this.targets.find((t) => t.name === name);
  }

  /** Replaces the entry with the same name, or adds it (MLRun's `update_target`). */
  updateTarget(target: DataTarget): void {
    const i = this.targets.findIndex((t) => t.name === target.name);
    if (i >= 0) this.targets[i] = target;
    else this.targets.push(target);
  }
}
