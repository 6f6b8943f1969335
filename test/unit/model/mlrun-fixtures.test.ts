import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FeatureSet, Notification, RunObject, RunTemplate } from '../../../src/index.js';

/** Every file in fixtures/mlrun/ is something MLRun itself wrote; its name prefix says which class reads it. */
const DIR = join(import.meta.dirname, '../../../fixtures/mlrun');
const CLASSES: Record<string, { fromDict(d: unknown): { toDict(): Record<string, unknown> } }> = {
  'feature-set-': FeatureSet,
  'run-': RunObject,
  'task-': RunTemplate,
  'notification-': Notification,
};

function classOf(file: string) {
  const prefix = Object.keys(CLASSES).find((p) => file.startsWith(p));
  if (prefix === undefined) throw new Error(`fixtures/mlrun/${file}: name must start with one of ${Object.keys(CLASSES).join(', ')}`);
  return CLASSES[prefix] as (typeof CLASSES)[string];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);
const TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/;

/**
 * Every non-empty value MLRun wrote is in Sluice's dict at the same place. Allowed differences: null, [] and {}
 * are left out (MLRun's own to_dict leaves them out too), times are compared as instants, and a secret source
 * written as "kind=source" comes back as { kind, source } (MLRun writes both forms).
 */
function expectCovers(out: unknown, doc: unknown, path: string): void {
  if (isMap(doc)) {
    expect(isMap(out), `${path} is a mapping`).toBe(true);
    for (const [k, v] of Object.entries(doc)) {
      if (isEmpty(v) && !(isMap(out) && k in out)) continue;
      expect(out as object, `${path}.${k} is kept`).toHaveProperty([k]);
      expectCovers((out as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  } else if (Array.isArray(doc)) {
    expect(Array.isArray(out) && out.length === doc.length, `${path} has ${doc.length} items`).toBe(true);
    doc.forEach((v, i) => expectCovers((out as unknown[])[i], v, `${path}[${i}]`));
  } else if (typeof doc === 'string' && /^(file|env|inline)=/.test(doc) && path.includes('secret_sources')) {
    const eq = doc.indexOf('=');
    expect(out, path).toEqual({ kind: doc.slice(0, eq), source: doc.slice(eq + 1) });
  } else if (typeof doc === 'string' && TIME.test(doc) && typeof out === 'string' && out !== doc) {
    expect(Date.parse(out), `${path}: ${out} is the instant ${doc}`).toBe(Date.parse(doc.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1') + (/[+-]\d\d:\d\d$|Z$/.test(doc) ? '' : 'Z')));
  } else {
    expect(out, path).toEqual(doc);
  }
}

describe('fixtures/mlrun: what MLRun writes loads and round-trips', () => {
  const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

  it('has feature sets, runs, tasks and notifications', () => {
    for (const prefix of Object.keys(CLASSES)) expect(files.some((f) => f.startsWith(prefix)), prefix).toBe(true);
  });

  for (const file of files) {
    it(file, () => {
      const doc = parseYaml(readFileSync(join(DIR, file), 'utf8')) as unknown;
      const cls = classOf(file);
      const loaded = cls.fromDict(doc);
      const out = loaded.toDict();
      expectCovers(out, doc, file);
      // and Sluice's own dict loads again unchanged (JSON and YAML)
      expect(cls.fromDict(JSON.parse(JSON.stringify(out))).toDict()).toEqual(out);
    });
  }
});
