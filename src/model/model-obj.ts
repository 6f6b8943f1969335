import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SpecError } from '../errors.js';
import type { Field, ToDictOptions } from './field.js';
import { checkValue, isEmpty, isPlainObject, PATH, serialiseValue, WIRE } from './field.js';

export { PATH, WIRE };

/** A model class: its field list and a constructor from camelCase options. */
export interface ModelClass<M extends ModelObj = ModelObj> {
  readonly name: string;
  readonly fields: readonly Field[];
  new (options?: never): M;
}

/**
 * Base of every model object (MLRun's `ModelObj`). Subclasses list their {@link Field}s in a static `fields`
 * and call {@link assignFields} in their constructor; the base gives them `toDict`, `fromDict`, `toJSON` and
 * YAML. Wire keys are MLRun's snake_case; properties are camelCase.
 */
export abstract class ModelObj {
  static readonly fields: readonly Field[] = [];

  /** The fields of this object's class. */
  protected modelFields(): readonly Field[] {
    return (this.constructor as unknown as ModelClass).fields;
  }

  /**
   * A dict with MLRun's snake_case keys. Null/undefined values and empty lists and maps are left out; dates
   * become ISO-8601 strings with an offset; nested objects become dicts.
   */
  toDict(options: ToDictOptions = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.modelFields()) {
      if (options.fields && !options.fields.includes(f.key)) continue;
      if (options.exclude?.includes(f.key)) continue;
      const v = serialiseValue(f.type, (this as unknown as Record<string, unknown>)[f.prop]);
      if (!isEmpty(v)) out[f.key] = v;
    }
    return out;
  }

  /** `JSON.stringify(model)` gives the dict form. */
  toJSON(options?: ToDictOptions | string): Record<string, unknown> {
    return this.toDict(typeof options === 'object' ? options : {});
  }

  /** The dict form as a YAML document. */
  toYaml(options?: ToDictOptions): string {
    return stringifyYaml(this.toDict(options));
  }

  /** A deep copy through the dict form. */
  copy(): this {
    const cls = this.constructor as unknown as { fromDict(d: unknown): ModelObj };
    return cls.fromDict(this.toDict()) as this;
  }

  /**
   * Builds an object from a dict with snake_case keys. An unknown key or a value of the wrong type is refused
   * with a {@link SpecError} naming the key, the value and what is accepted.
   */
  static fromDict<M extends ModelObj>(this: ModelClass<M>, dict: unknown, path?: string): M {
    return new this(dictToOptions(this, dict, path ?? this.name) as never);
  }

  /** Builds an object from a YAML (or JSON) document. */
  static fromYaml<M extends ModelObj>(this: ModelClass<M>, text: string): M {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      // The yaml package appends the offending lines after the first; errors stay one line (position kept).
      const first = ((err as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
      throw new SpecError(`${this.name}: the document is not valid YAML: ${first}`);
    }
    return new this(dictToOptions(this, doc, this.name) as never);
  }
}

/** Turns a snake_case dict into camelCase constructor options, refusing unknown keys. */
export function dictToOptions(cls: ModelClass, dict: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(dict)) {
    throw new SpecError(`${path}: expected a mapping of ${cls.name} fields, got ${JSON.stringify(dict)}`);
  }
  const byKey = new Map(cls.fields.map((f) => [f.key, f]));
  const options: Record<string | symbol, unknown> = { [PATH]: path, [WIRE]: true };
  for (const [key, value] of Object.entries(dict)) {
    const f = byKey.get(key);
    if (!f) {
      throw new SpecError(
        `${path}: unknown key "${key}" (value ${JSON.stringify(value)}); accepted keys: ${[...byKey.keys()].join(', ')}`,
      );
    }
    if (value !== null && value !== undefined) options[f.prop] = value;
  }
  return options;
}

/**
 * Checks and assigns constructor options onto a model object. Every option must be a known camelCase
 * property; each value is checked against its field type, and a plain object where a model is expected is
 * built as that model (camelCase options; a snake_case dict when the options came from `fromDict`). Call it in
 * the subclass constructor, after `super()`.
 */
export function assignFields(target: object, cls: ModelClass, options: object | undefined): void {
  if (options === undefined || options === null) return;
  if (!isPlainObject(options)) throw new SpecError(`${cls.name}: expected an options object, got ${JSON.stringify(options)}`);
  const opts = options as Record<string | symbol, unknown>;
  const path = typeof opts[PATH] === 'string' ? (opts[PATH] as string) : cls.name;
  const byProp = new Map(cls.fields.map((f) => [f.prop, f]));
  for (const [prop, value] of Object.entries(opts)) {
    const f = byProp.get(prop);
    if (!f) {
      throw new SpecError(`${path}: unknown option "${prop}"; accepted options: ${[...byProp.keys()].join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    (target as Record<string, unknown>)[prop] = checkValue(f.type, value, `${path}.${f.key}`, opts[WIRE] === true ? 'wire' : 'options');
  }
}
