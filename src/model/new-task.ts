import { SpecError } from '../errors.js';
import { closest } from '../util/closest.js';
import { checkValue, isPlainObject, T } from './field.js';
import { HyperParamOptions } from './hyper-param-options.js';
import type { HyperParamOptionsOptions } from './hyper-param-options.js';
import { parseSecretSpec } from './run-spec.js';
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

/** The same arguments spelled as MLRun's `new_task` (snake_case); both spellings may be mixed, not doubled. */
export interface NewTaskSnakeOptions {
  hyper_params?: NewTaskOptions['hyperParams'];
  param_file?: string;
  hyper_param_options?: NewTaskOptions['hyperParamOptions'] | Record<string, unknown>;
  in_path?: string;
  out_path?: string;
  artifact_path?: string;
}

/** MLRun's argument names, in `new_task`'s order, with their camelCase property. */
const ARGUMENTS: ReadonlyArray<readonly [string, keyof NewTaskOptions]> = [
  ['name', 'name'],
  ['project', 'project'],
  ['handler', 'handler'],
  ['params', 'params'],
  ['hyper_params', 'hyperParams'],
  ['param_file', 'paramFile'],
  ['selector', 'selector'],
  ['hyper_param_options', 'hyperParamOptions'],
  ['inputs', 'inputs'],
  ['outputs', 'outputs'],
  ['in_path', 'inPath'],
  ['out_path', 'outPath'],
  ['artifact_path', 'artifactPath'],
  ['secrets', 'secrets'],
  ['base', 'base'],
  ['returns', 'returns'],
];

/**
 * Reads `new_task` arguments in either spelling into camelCase options. An unknown argument (with the closest
 * known one), or one given in both spellings, is a {@link SpecError}.
 */
function normaliseArguments(options: unknown): NewTaskOptions {
  if (options === undefined || options === null) return {};
  if (!isPlainObject(options)) throw new SpecError(`newTask: expected an object of task arguments, got ${JSON.stringify(options)}`);
  const byName = new Map<string, readonly [string, keyof NewTaskOptions]>();
  for (const a of ARGUMENTS) byName.set(a[0], a).set(a[1], a);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const arg = byName.get(key);
    if (arg === undefined) {
      const near = closest(key, byName.keys());
      const hint = near === undefined ? '' : ` (did you mean ${(byName.get(near) as readonly [string, string])[0]}?)`;
      throw new SpecError(
        `newTask: unknown argument "${key}"${hint}; accepted arguments: ${ARGUMENTS.map((a) => a[0]).join(', ')} (or their camelCase forms)`,
      );
    }
    const [snake, camel] = arg;
    if (snake !== camel && snake in options && camel in options) {
      throw new SpecError(`newTask: ${snake} and ${camel} are both given; give one of them`);
    }
    if (value !== undefined && value !== null) out[camel] = value;
  }
  return out as NewTaskOptions;
}

/**
 * Creates a task (MLRun's `new_task`). Takes every `new_task` argument in camelCase or in MLRun's snake_case
 * (`hyper_params`, `artifact_path`, ...); an unknown argument is refused, naming it. Each given option replaces
 * the base's value; options left out keep it. `artifactPath` wins over `outPath` for `spec.outputPath`; `paramFile` and `selector` go into
 * `spec.hyperParamOptions`.
 *
 * @example
 * const task = newTask({ name: 'train', handler: 'train', params: { lr: 0.1 }, secrets: ['env=DB_USER,DB_PASSWORD'] })
 *   .withHyperParams({ depth: [3, 5] }, 'max.accuracy');
 */
export function newTask(options: NewTaskOptions & NewTaskSnakeOptions = {}): RunTemplate {
  const o = normaliseArguments(options);
  const run = o.base === undefined ? new RunTemplate() : copyBase(o.base);
  const md = run.metadata;
  const spec = run.spec;
  if (o.name !== undefined) md.name = checkValue(T.string, o.name, 'newTask.name') as string;
  if (o.project !== undefined) md.project = checkValue(T.string, o.project, 'newTask.project') as string;
  if (o.handler !== undefined) spec.handler = checkValue(T.string, o.handler, 'newTask.handler') as string;
  if (o.params !== undefined) spec.parameters = structuredClone(checkValue(T.map(T.json), o.params, 'newTask.params') as Record<string, unknown>);

  let hpo = spec.hyperParamOptions?.toDict() ?? {};
  if (o.hyperParamOptions !== undefined) {
    hpo = (checkValue(T.model(() => HyperParamOptions), o.hyperParamOptions, 'newTask.hyperParamOptions', 'options') as HyperParamOptions).toDict();
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
