import { SpecError } from '../errors.js';
import { checkValue, fields, T } from './field.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';
import { HyperParamOptions } from './hyper-param-options.js';
import type { HyperParamOptionsOptions, HyperParamStrategy } from './hyper-param-options.js';
import { RunMetadata } from './run-metadata.js';
import { parseSecretSource, RunSpec } from './run-spec.js';

export interface RunTemplateOptions {
  /** `run`: MLRun's run context writes it at the top of a stored run (`MLClientCtx.to_dict`). */
  kind?: 'run';
  spec?: RunSpec;
  metadata?: RunMetadata;
}

/** Hyperparameter options other than selector and strategy, which the builders take positionally. */
export type HyperParamExtraOptions = Omit<HyperParamOptionsOptions, 'selector' | 'strategy' | 'paramFile'>;

/**
 * A run template (MLRun's `mlrun.model.RunTemplate`): metadata and spec of a task, with builders that return
 * `this`. `spec` and `metadata` always exist. Dict form `{ metadata, spec }`.
 *
 * Subclassing: a subclass (e.g. `RunObject`) lists `[...RunTemplate.fields, ...its own]` in its static
 * `fields`, passes `spec`/`metadata` (and the `PATH` symbol) to `super()`, and assigns its own options after
 * `super()` with `assignFields(this, Sub, own)`. Declare own properties with an initializer or `declare`, so
 * that class-field semantics do not reset them after `super()`.
 *
 * @example
 * const task = new RunTemplate()
 *   .withParams({ p1: 5 })
 *   .withInput('data : csv', 's3://bucket/data.csv')
 *   .withSecrets('env', 'DB_USER,DB_PASSWORD')
 *   .withHyperParams({ lr: [0.1, 0.01] }, 'max.accuracy');
 */
export class RunTemplate extends ModelObj {
  static override readonly fields = fields([
    ['kind', 'kind', T.enum(['run'])],
    ['metadata', 'metadata', T.model(() => RunMetadata)],
    ['spec', 'spec', T.model(() => RunSpec)],
  ]);

  /** `run` when the dict came from MLRun's run db; kept so the record dumps unchanged. */
  kind?: 'run';
  metadata: RunMetadata = new RunMetadata();
  spec: RunSpec = new RunSpec();

  constructor(options: RunTemplateOptions = {}) {
    super();
    assignFields(this, RunTemplate, options);
  }

  /** Sets the task parameters, replacing the previous ones (as MLRun's `with_params`). */
  withParams(params: Record<string, unknown>): this {
    this.spec.parameters = structuredClone(checkValue(T.map(T.json), params, 'withParams.params') as Record<string, unknown>);
    return this;
  }

  /**
   * Sets one data input; `key` may carry a type hint (`"data : csv"`), which moves to
   * `spec.inputsTypeHints`.
   */
  withInput(key: string, path: string): this {
    if (typeof key !== 'string' || key.trim() === '') {
      throw new SpecError(`withInput: key ${JSON.stringify(key)} is not an input name; expected "name" or "name : type"`);
    }
    if (typeof path !== 'string' || path === '') {
      throw new SpecError(`withInput: path for input "${key}" is ${JSON.stringify(path)}; expected a path or URL`);
    }
    this.spec.inputs = { ...this.spec.inputs, [key]: path };
    return this;
  }

  /**
   * Adds a secret source: `inline` (a map), `env` (comma-separated names) or `file` (a path to key=value
   * lines). `vault`, `kubernetes` and `azure_vault` are refused with a NotSupportedError.
   */
  withSecrets(kind: string, source: unknown): this {
    const parsed = parseSecretSource({ kind, source }, 'withSecrets');
    this.spec.secretSources = [...this.spec.secretSources, parsed];
    return this;
  }

  /**
   * Sets hyperparameters (name → list of values) and their options, replacing `spec.hyperParamOptions`.
   *
   * @example
   * task.withHyperParams({ p1: [2, 4, 1], p2: [10, 20] }, 'max.accuracy');
   * task.withHyperParams({ p1: [1, 2, 3] }, 'min.loss', 'random', { maxIterations: 5, seed: 1 });
   */
  withHyperParams(
    hyperparams: Record<string, unknown[]>,
    selector?: string,
    strategy?: HyperParamStrategy,
    options: HyperParamExtraOptions = {},
  ): this {
    const hpo = new HyperParamOptions({ ...options, selector, strategy, [PATH]: 'withHyperParams' } as HyperParamOptionsOptions);
    const params = checkValue(T.map(T.list(T.json)), hyperparams, 'withHyperParams.hyperparams') as Record<string, unknown[]>;
    return this.setHyperParams(structuredClone(params), hpo, 'withHyperParams');
  }

  /**
   * Takes hyperparameters from a file (CSV rows for the list strategy, or a JSON map) instead of inline,
   * replacing `spec.hyperParamOptions`.
   */
  withParamFile(paramFile: string, selector?: string, strategy?: HyperParamStrategy, options: HyperParamExtraOptions = {}): this {
    const hpo = new HyperParamOptions({ ...options, paramFile, selector, strategy, [PATH]: 'withParamFile' } as HyperParamOptionsOptions);
    return this.setHyperParams(this.spec.hyperparams, hpo, 'withParamFile');
  }

  /** Assigns hyperparams and options, undoing both when the spec refuses the pair. */
  private setHyperParams(hyperparams: Record<string, unknown[]> | undefined, hpo: HyperParamOptions, where: string): this {
    const spec = this.spec;
    const before = { hyperparams: spec.hyperparams, hpo: spec.hyperParamOptions };
    spec.hyperparams = hyperparams;
    spec.hyperParamOptions = hpo;
    try {
      spec.checkParamSources(where);
    } catch (err) {
      spec.hyperparams = before.hyperparams;
      spec.hyperParamOptions = before.hpo;
      throw err;
    }
    return this;
  }

  /** Sets one label; the value is stored as a string. */
  setLabel(key: string, value: string | number | boolean): this {
    this.metadata.labels = { ...(this.metadata.labels ?? {}), [key]: String(value) };
    return this;
  }
}
