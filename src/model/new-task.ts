import { SpecError } from '../errors.js';
import { checkValue, isPlainObject, T } from './field.js';
import { HyperParamOptions } from './hyper-param-options.js';
import type { HyperParamOptionsOptions } from './hyper-param-options.js';
import { parseSecretSource } from './run-spec.js';
import type { LogHint, SecretSource } from './run-spec.js';
import { RunTemplate } from './run-template.js';

export interface NewTaskOptions {
  /** Task (run) name. */
  name?: string;
  project?: string;
  /** Entry-point name. */
  handler?: string;
  /** Input parameters. */
  params?: Record<string, unknown>;
  /** Name → list of values; one run per combination (grid unless the options say otherwise). */
  hyperParams?: Record<string, unknown[]>;
  /** A CSV (rows of combinations) or JSON file of hyperparameters, instead of `hyperParams`. */
  paramFile?: string;
  /** `[min.|max.]<result>`, e.g. `max.accuracy`. */
  selector?: string;
  hyperParamOptions?: HyperParamOptions | HyperParamOptionsOptions;
  /** Input name (optionally `"name : type"`) → path/URL. */
  inputs?: Record<string, string>;
  outputs?: string[];
  /** Default input path/URL prefix. */
  inPath?: string;
  /** Default output path/URL prefix; `artifactPath` wins over it. */
  outPath?: string;
  /** Default artifact output path; wins over `outPath`. */
  artifactPath?: string;
  /** `'file=<path>'`, `'env=A,B'`, `'inline=<json map>'` strings, or `{ kind, source }` objects. */
  secrets?: (string | SecretSource)[];
  /** A task to start from; it is deep-copied and never changed. A dict is read with `RunTemplate.fromDict`. */
  base?: RunTemplate | Record<string, unknown>;
  /** Log hints for the handler's returned values. */
  returns?: LogHint[];
}

/**
 * Creates a task (MLRun's `new_task`). Each given option replaces the base's value; options left out keep
 * it. `artifactPath` wins over `outPath` for `spec.outputPath`; `paramFile` and `selector` go into
 * `spec.hyperParamOptions`.
 *
 * @example
 * const task = newTask({ name: 'train', handler: 'train', params: { lr: 0.1 }, secrets: ['env=DB_USER,DB_PASSWORD'] })
 *   .withHyperParams({ depth: [3, 5] }, 'max.accuracy');
 */
export function newTask(options: NewTaskOptions = {}): RunTemplate {
  const o = options;
  const run = o.base === undefined ? new RunTemplate() : copyBase(o.base);
  const md = run.metadata;
  const spec = run.spec;
  if (o.name !== undefined) md.name = checkValue(T.string, o.name, 'newTask.name') as string;
  if (o.project !== undefined) md.project = checkValue(T.string, o.project, 'newTask.project') as string;
  if (o.handler !== undefined) spec.handler = checkValue(T.string, o.handler, 'newTask.handler') as string;
  if (o.params !== undefined) spec.parameters = structuredClone(checkValue(T.map(T.json), o.params, 'newTask.params') as Record<string, unknown>);

  let hpo = spec.hyperParamOptions?.toDict() ?? {};
  if (o.hyperParamOptions !== undefined) {
    hpo = (o.hyperParamOptions instanceof HyperParamOptions ? o.hyperParamOptions : new HyperParamOptions(o.hyperParamOptions)).toDict();
  }
  if (o.paramFile !== undefined) hpo.param_file = o.paramFile;
  if (o.selector !== undefined) hpo.selector = o.selector;
  if (Object.keys(hpo).length > 0) spec.hyperParamOptions = HyperParamOptions.fromDict(hpo, 'newTask.hyperParamOptions');
  if (o.hyperParams !== undefined) {
    spec.hyperparams = structuredClone(checkValue(T.map(T.list(T.json)), o.hyperParams, 'newTask.hyperParams') as Record<string, unknown[]>);
  }
  spec.checkParamSources('newTask');

  if (o.inputs !== undefined) spec.inputs = checkValue(T.map(T.string), o.inputs, 'newTask.inputs') as Record<string, string>;
  if (o.returns !== undefined) spec.returns = checkValue(T.list(T.json), o.returns, 'newTask.returns') as unknown[];
  if (o.outputs !== undefined) spec.outputs = checkValue(T.list(T.string), o.outputs, 'newTask.outputs') as string[];
  if (o.inPath !== undefined) spec.inputPath = checkValue(T.string, o.inPath, 'newTask.inPath') as string;
  const outPath = o.artifactPath ?? o.outPath;
  if (outPath !== undefined) spec.outputPath = checkValue(T.string, outPath, o.artifactPath !== undefined ? 'newTask.artifactPath' : 'newTask.outPath') as string;
  if (o.secrets !== undefined) {
    if (!Array.isArray(o.secrets)) throw new SpecError(`newTask.secrets: ${JSON.stringify(o.secrets)} is not a list; expected e.g. ["file=secrets.env", "env=A,B"]`);
    spec.secretSources = o.secrets.map((s, i) => parseSecretSpec(s, `newTask.secrets[${i}]`));
  }
  return run;
}

function copyBase(base: RunTemplate | Record<string, unknown>): RunTemplate {
  if (base instanceof RunTemplate) return base.copy();
  if (isPlainObject(base)) return RunTemplate.fromDict(base, 'newTask.base');
  throw new SpecError(`newTask.base: ${JSON.stringify(base)} is not a RunTemplate or a task mapping { metadata, spec }`);
}

/** `'file=path'`, `'env=A,B'`, `'inline={"k":"v"}'` or a `{ kind, source }` object → a checked secret source. */
function parseSecretSpec(secret: unknown, path: string): SecretSource {
  if (typeof secret !== 'string') return parseSecretSource(secret, path);
  const eq = secret.indexOf('=');
  if (eq <= 0) {
    throw new SpecError(`${path}: ${JSON.stringify(secret)} is not a secret spec; expected "<kind>=<source>" such as "file=secrets.env" or "env=A,B"`);
  }
  const kind = secret.slice(0, eq).trim();
  let source: unknown = secret.slice(eq + 1).trim();
  if (kind === 'inline') {
    try {
      source = JSON.parse(source as string);
    } catch {
      throw new SpecError(`${path}: an inline secret string must be "inline=" followed by a JSON map (value hidden)`);
    }
  }
  return parseSecretSource({ kind, source }, path);
}
