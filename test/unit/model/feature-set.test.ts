import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeatureSet } from '../../../src/model/feature-set.js';
import { DataTargetBase } from '../../../src/model/data-target-base.js';
import { DataTarget } from '../../../src/model/data-target.js';
import { DataSource } from '../../../src/model/data-source.js';
import { parse } from 'yaml';

const yamlText = readFileSync(new URL('../../../fixtures/specs/transactions.yaml', import.meta.url), 'utf8');

describe('FeatureSet', () => {
  it('loads the documented fixture in MLRun shape', () => {
    const fs = FeatureSet.fromYaml(yamlText);
    expect(fs.name).toBe('transactions');
    expect(fs.project).toBe('demo');
    expect(fs.entityNames).toEqual(['user_id']);
    expect(fs.spec.timestampKey).toBe('ts');
    expect(fs.spec.source).toBeInstanceOf(DataSource);
    expect(fs.spec.source?.kind).toBe('csv');
    expect(fs.spec.targets.map((t) => t.kind)).toEqual(['parquet']);
    expect(fs.spec.targets[0]).toBeInstanceOf(DataTargetBase);
    expect(fs.spec.targets[0]?.keyBucketingNumber).toBe(4);
  });

  it('dumps back to the same document', () => {
    const fs = FeatureSet.fromYaml(yamlText);
    expect(parse(fs.toYaml())).toEqual(parse(yamlText));
    expect(FeatureSet.fromDict(fs.toDict()).toDict()).toEqual(fs.toDict());
  });

  it('accepts bare entity names and names nameless targets after their kind', () => {
    const fs = FeatureSet.fromDict({ kind: 'FeatureSet', metadata: { name: 'a' }, spec: { entities: ['k1', 'k2'], targets: [{ kind: 'parquet', path: 'x/' }] } });
    expect(fs.entityNames).toEqual(['k1', 'k2']);
    expect(fs.spec.targets[0]?.name).toBe('parquet');
    expect(fs.uri).toBe('default/a:latest');
  });

  it('builds from options', () => {
    const fs = new FeatureSet({ name: 'b', entities: ['id'], timestampKey: 'ts', targets: [new DataTargetBase({ kind: 'csv', path: 'b.csv' })] });
    expect(fs.toDict()).toEqual({ kind: 'FeatureSet', metadata: { name: 'b' }, spec: { entities: [{ name: 'id' }], timestamp_key: 'ts', targets: [{ name: 'csv', kind: 'csv', path: 'b.csv' }] } });
  });

  it('keeps status targets and updates them by name', () => {
    const fs = new FeatureSet({ name: 'c', entities: ['id'] });
    fs.status.updateTarget(new DataTarget({ name: 'offline', kind: 'parquet', status: 'created' }));
    fs.status.updateTarget(new DataTarget({ name: 'offline', kind: 'parquet', status: 'ready', size: 5 }));
    expect(fs.status.targets).toHaveLength(1);
    expect(FeatureSet.fromDict(fs.toDict()).status.getTarget('offline')?.size).toBe(5);
  });

  it('refuses invalid specs with errors that say what to fix', () => {
    expect(() => FeatureSet.fromDict({ kind: 'FeatureSet', metadata: { name: 'a' }, spec: {} })).toThrow(/spec.entities is empty/);
    expect(() => FeatureSet.fromDict({ kind: 'FeatureSet', metadata: {}, spec: { entities: ['a'] } })).toThrow(/needs a name/);
    expect(() => FeatureSet.fromDict({ kind: 'FeatureSet', metadata: { name: 'a' }, spec: { entities: ['a'], targets: [{ kind: 'parquet', path: 'x' }, { kind: 'parquet', name: 'p2', path: 'x' }] } })).toThrow(/two targets write to "x"/);
    expect(() => FeatureSet.fromDict({ kind: 'FeatureSet', metadata: { name: 'a' }, spec: { entities: ['a'], targetz: [] } })).toThrow(/FeatureSet.spec: unknown key "targetz"/);
    expect(() => FeatureSet.fromDict({ kind: 'FeatureVector', metadata: { name: 'a' } })).toThrow(/FeatureSet.kind: "FeatureVector" is not one of "FeatureSet"/);
    expect(() => FeatureSet.fromDict({ kind: 'FeatureSet', metadata: { name: 'a' }, spec: { entities: ['a'], source: { kind: 'csv', key_field: 5 } } })).toThrow('FeatureSet.spec.source.key_field: 5 is not a string or a list of strings');
    expect(() => FeatureSet.fromYaml('kind: [')).toThrow(/not valid YAML/);
  });

  it('refuses entities given as a string, from YAML and from options, with a model message (issue #8 item 10)', () => {
    const expected = 'FeatureSet.spec.entities: "user_id" must be a list of entity names or {name, value_type} dicts, e.g. entities: [user_id]';
    expect(() => FeatureSet.fromYaml('kind: FeatureSet\nmetadata: {name: a}\nspec:\n  entities: user_id\n')).toThrow(expected);
    expect(() => new FeatureSet({ name: 'a', entities: 'user_id' as unknown as string[] })).toThrow(expected);
  });
});
