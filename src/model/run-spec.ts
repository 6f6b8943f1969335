import { NotSupportedError, SpecError } from '../errors.js';
import { checkValue, fields, isPlainObject, T } from './field.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';
import { HYPER_PARAM_STRATEGIES, HyperParamOptions, parseSelector } from './hyper-param-options.js';
import type { HyperParamStrategy } from './hyper-param-options.js';
import { Notification } from './notification.js';

/** Secret source kinds Sluice reads. */
export type SecretKind = 'inline' | 'env' | 'file';
export const SECRET_KINDS: readonly SecretKind[] = ['inline', 'env', 'file'];
/** MLRun secret kinds Sluice deliberately does not read. */
export const UNSUPPORTED_SECRET_KINDS: readonly string[] = ['vault', 'kubernetes', 'azure_vault'];

/**
 * Where a run's secrets come from: `inline` (a map of name → value), `env` (comma-separated variable names)
 * or `file` (a path to `key=value` lines).
 */
export type SecretSource =
  | { kind: 'inline'; source: Record<string, string> }
  | { kind: 'env'; source: string }
  | { kind: 'file'; source: string };

/**
 * Checks one secret source. `vault`, `kubernetes` and `azure_vault` are a {@link NotSupportedError}; any
 * other kind, or a source of the wrong shape, a {@link SpecError}. An env list may be given as an array and
 * is stored comma-joined, as MLRun's. Inline secret values never appear in the messages.
 */
export function parseSecretSource(value: unknown, path = 'secret_sources'): SecretSource {
  if (!isPlainObject(value) || !('kind' in value) || !('source' in value)) {
    throw new SpecError(`${path}: expected a mapping { kind, source } with kind one of ${SECRET_KINDS.join(', ')}`);
  }
  const extra = Object.keys(value).filter((k) => k !== 'kind' && k !== 'source');
  if (extra.length > 0) throw new SpecError(`${path}: unknown key "${extra[0]}"; accepted keys: kind, source`);
  const { kind, source } = value;
  if (typeof kind === 'string' && UNSUPPORTED_SECRET_KINDS.includes(kind)) {
    throw new NotSupportedError(`${path}.kind: secret kind "${kind}" is not supported; Sluice supports inline, env and file secrets`);
  }
  switch (kind) {
    case 'inline': {
      if (!isPlainObject(source)) throw new SpecError(`${path}.source: an inline secret source must be a map of secret names to string values`);
      for (const [k, v] of Object.entries(source)) {
        if (typeof v !== 'string') throw new SpecError(`${path}.source.${k}: inline secret values must be strings (value hidden)`);
      }
      return { kind, source: { ...(source as Record<string, string>) } };
    }
    case 'env': {
      const names = typeof source === 'string' ? source.split(',').map((n) => n.trim()) : Array.isArray(source) ? source : null;
      if (!names || names.length === 0 || names.some((n) => typeof n !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) {
        throw new SpecError(`${path}.source: ${JSON.stringify(source)} is not a list of environment variable names; expected e.g. "DB_USER,DB_PASSWORD"`);
      }
      return { kind, source: (names as string[]).join(',') };
    }
    case 'file':
      if (typeof source !== 'string' || source.trim() === '') {
        throw new SpecError(`${path}.source: ${JSON.stringify(source)} is not a file path; expected a path to a file of key=value lines`);
      }
      return { kind, source };
    default:
      throw new SpecError(`${path}.kind: ${JSON.stringify(kind)} is not a secret kind; expected one of ${SECRET_KINDS.join(', ')}`);
  }
}

/**
 * A secret source given as a `{ kind, source }` mapping or as MLRun's string form `"<kind>=<source>"`
 * (`"file=secrets.env"`, `"env=A,B"`, `"inline={...json map...}"`), checked by {@link parseSecretSource}.
 */
export function parseSecretSpec(secret: unknown, path: string): SecretSource {
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

/** A log hint for a returned value: `"key"`, `"key : type"` or `{ key, ...config }`. */
export type LogHint = string | ({ key: string } & Record<string, unknown>);

export interface RunSpecOptions {
  parameters?: Record<string, unknown>;
  hyperparams?: Record<string, unknown[]>;
  paramFile?: string;
  selector?: string;
  handler?: string;
  inputs?: Record<string, string>;
  outputs?: string[];
  inputPath?: string;
  outputPath?: string;
  function?: string;
  secretSources?: SecretSource[];
  dataStores?: Record<string, unknown>[];
  strategy?: HyperParamStrategy;
  verbose?: boolean;
  scrapeMetrics?: boolean;
  hyperParamOptions?: HyperParamOptions;
  allowEmptyResources?: boolean;
  inputsTypeHints?: Record<string, string>;
  returns?: LogHint[];
  notifications?: Notification[];
  stateThresholds?: Record<string, string>;
  resetOnRun?: boolean;
  nodeSelector?: Record<string, string>;
  logLevel?: string;
}

/**
 * Run specification (MLRun's `mlrun.model.RunSpec`), validated at construction.
 *
 * - An input key may carry a type hint, `"data : csv"`: spaces are dropped, one colon at most, and the hint
 *   moves to `inputsTypeHints` (whenever `inputs` is assigned, as MLRun's setter).
 * - `returns` are log hints (`"key"`, `"key : type"`, `{ key, ... }`), checked when assigned.
 * - `outputs` reads as the union of the assigned outputs and the returns' keys, order of first appearance.
 * - `hyperparams` and a param file (`paramFile` or `hyperParamOptions.paramFile`) exclude each other.
 * - Notification names are unique; secret sources are inline, env or file.
 *
 * `secretSources` keeps inline secret values in the dict form (the task carries them to its runner); a run
 * db must store runs through its redaction, never `toDict()` raw.
 */
export class RunSpec extends ModelObj {
  static override readonly fields = fields([
    ['parameters', 'parameters', T.map(T.json)],
    ['hyperparams', 'hyperparams', T.map(T.list(T.json))],
    ['paramFile', 'param_file', T.string],
    ['selector', 'selector', T.string],
    ['handler', 'handler', T.string],
    ['inputs', 'inputs', T.map(T.string)],
    ['outputs', 'outputs', T.list(T.string)],
    ['inputPath', 'input_path', T.string],
    ['outputPath', 'output_path', T.string],
    ['function', 'function', T.string],
    ['secretSources', 'secret_sources', T.list(T.json)],
    ['dataStores', 'data_stores', T.list(T.map(T.json))],
    ['strategy', 'strategy', T.enum(HYPER_PARAM_STRATEGIES)],
    ['verbose', 'verbose', T.boolean],
    ['scrapeMetrics', 'scrape_metrics', T.boolean],
    ['hyperParamOptions', 'hyper_param_options', T.model(() => HyperParamOptions)],
    ['allowEmptyResources', 'allow_empty_resources', T.boolean],
    ['inputsTypeHints', 'inputs_type_hints', T.map(T.string)],
    ['returns', 'returns', T.list(T.json)],
    ['notifications', 'notifications', T.modelList(() => Notification)],
    ['stateThresholds', 'state_thresholds', T.map(T.string)],
    // MLRun 1.6+ (RunSpec.__init__); Sluice runs locally and keeps them as given
    ['resetOnRun', 'reset_on_run', T.boolean],
    ['nodeSelector', 'node_selector', T.map(T.string)],
    // written by MLRun's run context (MLClientCtx.to_dict) into stored runs
    ['logLevel', 'log_level', T.string],
  ]);

  parameters?: Record<string, unknown>;
  hyperparams?: Record<string, unknown[]>;
  paramFile?: string;
  selector?: string;
  handler?: string;
  inputPath?: string;
  outputPath?: string;
  function?: string;
  dataStores?: Record<string, unknown>[];
  strategy?: HyperParamStrategy;
  verbose?: boolean;
  scrapeMetrics?: boolean;
  hyperParamOptions?: HyperParamOptions;
  allowEmptyResources?: boolean;
  stateThresholds?: Record<string, string>;
  /** MLRun: reload the function's modules before the run. Kept, not used (a Sluice handler is a function). */
  resetOnRun?: boolean;
  /** MLRun: Kubernetes node selector of the run's pod. Kept, not used. */
  nodeSelector?: Record<string, string>;
  /** MLRun: the run context's log level. Kept, not used. */
  logLevel?: string;
  #inputs: Record<string, string> = {};
  #inputsTypeHints: Record<string, string> = {};
  #outputs: string[] = [];
  #returns: LogHint[] = [];
  #secretSources: SecretSource[] = [];
  #notifications: Notification[] = [];
  readonly #path: string;

  constructor(options: RunSpecOptions = {}) {
    super();
    const path = (options as Record<symbol, unknown> | undefined)?.[PATH];
    this.#path = typeof path === 'string' ? path : 'RunSpec';
    // inputs last: their type hints are merged over an explicit inputsTypeHints
    const { inputs, ...rest } = options ?? {};
    assignFields(this, RunSpec, rest);
    if (inputs !== undefined) assignFields(this, RunSpec, { inputs, [PATH]: this.#path });
    if (this.selector !== undefined) parseSelector(this.selector, `${this.#path}.selector`);
    this.checkParamSources();
  }

  /** Input name → path/URL, with type hints already moved out of the keys. */
  get inputs(): Record<string, string> {
    return this.#inputs;
  }
  set inputs(inputs: Record<string, string> | undefined) {
    this.#inputs = { ...(inputs ?? {}) };
    this.extractTypeHintsFromInputs();
  }

  /** Input name → type hint (e.g. `csv`); inputs without one are plain data items. */
  get inputsTypeHints(): Record<string, string> {
    return this.#inputsTypeHints;
  }
  set inputsTypeHints(hints: Record<string, string> | undefined) {
    this.#inputsTypeHints = { ...(hints ?? {}) };
  }

  /** The expected outputs: the assigned outputs joined with the keys of `returns`, first appearance first. */
  get outputs(): string[] {
    return RunSpec.joinOutputsAndReturns(this.#outputs, this.#returns);
  }
  set outputs(outputs: string[] | undefined) {
    this.#outputs = [...(outputs ?? [])];
  }

  /** Log hints for the handler's returned values. */
  get returns(): LogHint[] {
    return this.#returns;
  }
  set returns(returns: unknown[] | undefined) {
    this.#returns = (returns ?? []).map((h, i) => validateLogHint(h, `${this.#path}.returns[${i}]`));
  }

  /**
   * Secret sources: `{ kind: 'inline' | 'env' | 'file', source }`. An entry may also be given as MLRun's
   * `new_task(secrets=...)` writes it, `"file=secrets.env"` / `"env=A,B"`; it is read into the mapping form.
   */
  get secretSources(): SecretSource[] {
    return this.#secretSources;
  }
  set secretSources(sources: unknown[] | undefined) {
    this.#secretSources = (sources ?? []).map((s, i) => parseSecretSpec(s, `${this.#path}.secret_sources[${i}]`));
  }

  /** Notifications of the run; names are unique. */
  get notifications(): Notification[] {
    return this.#notifications;
  }
  set notifications(list: Notification[] | undefined) {
    const path = `${this.#path}.notifications`;
    const parsed = checkValue(T.modelList(() => Notification), list ?? [], path, 'options') as Notification[];
    Notification.validateNotificationUniqueness(parsed, path);
    this.#notifications = parsed;
  }

  /**
   * Moves type hints out of the input keys (`"data : csv"` → input `data`, hint `csv`). Spaces are dropped;
   * a key with more than one colon, or an empty name, is a {@link SpecError} naming the key.
   */
  extractTypeHintsFromInputs(): void {
    const inputs: Record<string, string> = {};
    const hints = { ...this.#inputsTypeHints };
    for (const [rawKey, path] of Object.entries(this.#inputs)) {
      const [key, hint] = separateTypeHint(rawKey, `${this.#path}.inputs`);
      inputs[key] = path;
      if (hint) hints[key] = hint;
    }
    this.#inputs = inputs;
    this.#inputsTypeHints = hints;
  }

  /**
   * The outputs list joined with the keys of the returns' log hints, without duplicates, in order of first
   * appearance (MLRun builds a set and loses the order).
   */
  static joinOutputsAndReturns(outputs: readonly string[] | undefined, returns: readonly LogHint[] | undefined): string[] {
    const keys = [...(outputs ?? [])];
    for (const hint of returns ?? []) keys.push(logHintKey(hint));
    return [...new Set(keys)];
  }

  /** `hyperparams` with a param file is ambiguous (MLRun refuses it when the run starts; Sluice at parse time). */
  checkParamSources(where: string = this.#path): void {
    const file = this.paramFile ?? this.hyperParamOptions?.paramFile;
    if (file !== undefined && this.hyperparams && Object.keys(this.hyperparams).length > 0) {
      throw new SpecError(
        `${where}: hyperparams (${Object.keys(this.hyperparams).join(', ')}) and param file ${JSON.stringify(file)} are both set; give one of them`,
      );
    }
  }
}

/** `"data : csv"` → `["data", "csv"]`; `"data"` → `["data", ""]`. */
function separateTypeHint(rawKey: string, path: string): [string, string] {
  const key = rawKey.replace(/\s+/g, '');
  const parts = key.split(':');
  if (parts.length > 2) {
    throw new SpecError(`${path}: input key ${JSON.stringify(rawKey)} has ${parts.length - 1} colons; expected "name" or "name : type" with one colon`);
  }
  const [name = '', hint = ''] = parts;
  if (name === '') throw new SpecError(`${path}: input key ${JSON.stringify(rawKey)} has no name; expected "name" or "name : type"`);
  return [name, hint];
}

/** The key a log hint logs under. */
function logHintKey(hint: LogHint): string {
  if (typeof hint === 'string') return hint.replace(/\s+/g, '').split(':')[0] as string;
  return hint.key;
}

/**
 * Checks a log hint as MLRun's `LogHintUtils.parse_log_hint`: `"key"`, `"key : type"` (one colon, non-empty
 * type) or a mapping with a non-empty string `key`.
 */
export function validateLogHint(hint: unknown, path = 'returns'): LogHint {
  if (typeof hint === 'string') {
    const parts = hint.replace(/\s+/g, '').split(':');
    if (parts.length > 2 || parts[0] === '' || (parts.length === 2 && parts[1] === '')) {
      throw new SpecError(
        `${path}: ${JSON.stringify(hint)} is not a log hint; expected "key" or "key : artifact_type" (one colon, both sides non-empty)`,
      );
    }
    return hint;
  }
  if (isPlainObject(hint)) {
    if (typeof hint.key !== 'string' || hint.key.trim() === '') {
      throw new SpecError(`${path}: log hint ${JSON.stringify(hint)} has no "key"; a mapping log hint must contain "key": "<name>"`);
    }
    return structuredClone(hint) as LogHint;
  }
  throw new SpecError(`${path}: ${JSON.stringify(hint)} is not a log hint; expected a string "key[ : type]" or a mapping with "key"`);
}
