import { readFileSync } from 'node:fs';
import { BadInputError, NotFoundError, SpecError, errorMessage } from '../../errors.js';
import { isShortSecret, redact, redactDeep, REDACTED } from '../../util/redact.js';
import { parseSecretsFile } from './parse-secrets-file.js';
import { checkSecretKind } from './secret-kind.js';

/** Where secrets came from, without their values: inline values are replaced by `***`. */
export type SecretSourceRecord =
  | { kind: 'inline'; source: Record<string, string> }
  | { kind: 'env'; source: string }
  | { kind: 'file'; source: string };

/** Dependencies of a {@link SecretsStore}; injectable for tests. */
export interface SecretsStoreOptions {
  /** Environment for `env` sources and `$VAR` expansion; default `process.env` at construction. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads a secrets file as UTF-8 text; default `fs.readFileSync`. */
  readFile?: (path: string) => string;
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Secrets gathered from inline maps, environment variables and `key=value` files (MLRun's `SecretsStore`).
 * A later source overrides an earlier one for the same key. Values are held in a private field, so they do
 * not show in `console.log`, `JSON.stringify` or a run record; {@link SecretsStore.toSerial} records the sources only.
 *
 * @example
 * ```ts
 * const secrets = new SecretsStore();
 * secrets.addSource('env', 'PG_PASSWORD').addSource('file', '/etc/sluice/secrets.env');
 * secrets.get('PG_PASSWORD');
 * ```
 */
export class SecretsStore {
  readonly #values = new Map<string, string>();
  readonly #sources: SecretSourceRecord[] = [];
  readonly #envNames: string[] = [];
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #readFile: (path: string) => string;

  constructor(options: SecretsStoreOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#readFile = options.readFile ?? ((p) => readFileSync(p, 'utf8'));
  }

  /**
   * Adds a source. `inline`: a map (or its JSON text), values stringified, `null`/`undefined` skipped;
   * `env`: comma-separated names (or a list), unset variables simply absent; `file`: a path to `key=value`
   * lines (see `parseSecretsFile`), a missing file → NotFoundError naming the path.
   * vault/kubernetes/azure_vault → NotSupportedError; other kinds → SpecError.
   */
  addSource(kind: string, source: unknown): this {
    switch (checkSecretKind(kind)) {
      case 'inline':
        return this.#addInline(source);
      case 'env':
        return this.#addEnv(source);
      case 'file':
        return this.#addFile(source);
    }
  }

  #addInline(source: unknown): this {
    let map = source;
    if (typeof source === 'string') {
      try {
        map = JSON.parse(source) as unknown;
      } catch {
        throw new SpecError('secrets inline: the source text is not a JSON map; expected {"key": "value", ...}');
      }
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      throw new SpecError(`secrets inline: expected a map of key to value, got ${Array.isArray(map) ? 'a list' : typeof map}`);
    }
    const record: Record<string, string> = {};
    for (const [key, value] of Object.entries(map)) {
      if (value === null || value === undefined) continue;
      this.#values.set(key, stringify(value));
      record[key] = REDACTED;
    }
    this.#sources.push({ kind: 'inline', source: record });
    return this;
  }

  #addEnv(source: unknown): this {
    const list = typeof source === 'string' ? source.split(',') : Array.isArray(source) ? source : undefined;
    if (list === undefined || list.some((n) => typeof n !== 'string')) {
      throw new SpecError(`secrets env: expected comma-separated variable names or a list of names, got ${JSON.stringify(source)}`);
    }
    const names = (list as string[]).map((n) => n.trim()).filter((n) => n !== '');
    for (const name of names) {
      if (!this.#envNames.includes(name)) this.#envNames.push(name);
      const value = this.#env[name];
      if (value !== undefined) this.#values.set(name, value);
    }
    this.#sources.push({ kind: 'env', source: names.join(',') });
    return this;
  }

  #addFile(source: unknown): this {
    if (typeof source !== 'string' || source.trim() === '') {
      throw new SpecError(`secrets file: expected a file path, got ${JSON.stringify(source)}`);
    }
    let text: string;
    try {
      text = this.#readFile(source);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`secrets file ${source} does not exist`, { cause: err });
      throw new BadInputError(`secrets file ${source}: cannot read it: ${errorMessage(err)}`, { cause: err });
    }
    for (const [key, value] of parseSecretsFile(text, source, this.#env)) this.#values.set(key, value);
    this.#sources.push({ kind: 'file', source });
    return this;
  }

  /** The secret `key`, or `defaultValue` when no source has it. */
  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    return this.#values.get(key) ?? defaultValue;
  }

  /** Whether some source has `key`. */
  has(key: string): boolean {
    return this.#values.has(key);
  }

  /** The secret keys, in order of first appearance. */
  keys(): string[] {
    return [...this.#values.keys()];
  }

  /** Names an `env` source asked for that no source has (the variable is not set): worth a warning. */
  missingEnv(): string[] {
    return this.#envNames.filter((n) => !this.#values.has(n));
  }

  /** Keys whose value is short (see `isShortSecret`): text hides it only where it stands alone. */
  shortKeys(): string[] {
    return [...this.#values].filter(([, v]) => v !== '' && isShortSecret(v)).map(([k]) => k);
  }

  /** The secret values, for redaction. */
  values(): string[] {
    return [...this.#values.values()];
  }

  /** `text` with every secret value replaced by `***`. */
  redact(text: string): string {
    return redact(text, this.#values.values());
  }

  /** A JSON-like value with every secret value in its strings replaced by `***` (keys are kept). */
  redactDeep<T>(value: T): T {
    return redactDeep(value, this.#values.values());
  }

  /** The sources in the order added, without values: safe to store in a run record. */
  toSerial(): SecretSourceRecord[] {
    return this.#sources.map((s) => (s.kind === 'inline' ? { kind: 'inline', source: { ...s.source } } : { ...s }));
  }

  /** Serialises as {@link SecretsStore.toSerial}, so `JSON.stringify(store)` never holds a value. */
  toJSON(): SecretSourceRecord[] {
    return this.toSerial();
  }
}
