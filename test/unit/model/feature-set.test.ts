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

  it('builds DataSource, DataTargetBase and Entity instances from plain camelCase option objects', () => {
    const fs = new FeatureSet({
      name: 'plain',
      entities: ['id', { name: 'region', valueType: 'str' }],
      timestampKey: 'ts',
      source: { kind: 'csv', path: 'in.csv', keyField: 'id', startTime: '2024-01-01T00:00:00Z' },
      targets: [{ kind: 'parquet', path: 'out/', keyBucketingNumber: 4, timePartitioningGranularity: 'day' }, { kind: 'csv', path: 'out.csv' }],
    });
    expect(fs.spec.source).toBeInstanceOf(DataSource);
    expect(fs.spec.source?.startTime).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(fs.spec.targets.every((t) => t instanceof DataTargetBase)).toBe(true);
    expect(fs.spec.targets.map((t) => t.name)).toEqual(['parquet', 'csv']);
    expect(fs.toDict().spec).toMatchObject({
      entities: [{ name: 'id' }, { name: 'region', value_type: 'str' }],
      source: { kind: 'csv', path: 'in.csv', key_field: 'id', start_time: '2024-01-01T00:00:00.000+00:00' },
      targets: [{ name: 'parquet', kind: 'parquet', path: 'out/', key_bucketing_number: 4, time_partitioning_granularity: 'day' }, { name: 'csv', kind: 'csv', path: 'out.csv' }],
    });
    expect(new FeatureSet({ name: 'p2', entities: ['id'] }).setTargets([{ kind: 'csv', path: 'x.csv' }]).spec.targets[0]).toBeInstanceOf(DataTargetBase);
  });

  it('refuses a wrong type or an unknown option in a plain option object, naming the field', () => {
    const base = { name: 'bad', entities: ['id'] };
    expect(() => new FeatureSet({ ...base, source: 'in.csv' as never })).toThrow('FeatureSet.spec.source: "in.csv" is not a DataSource mapping');
    expect(() => new FeatureSet({ ...base, targets: ['parquet' as never] })).toThrow('FeatureSet.spec.targets[0]: "parquet" is not a DataTargetBase mapping');
    expect(() => new FeatureSet({ ...base, targets: { kind: 'csv' } as never })).toThrow('FeatureSet.spec.targets: {"kind":"csv"} is not a list of DataTargetBase mappings');
    expect(() => new FeatureSet({ ...base, source: { kind: 'csv', keyFeld: 'id' } as never })).toThrow(/FeatureSet.spec.source: unknown option "keyFeld"; accepted options: kind, name, path, attributes, keyField/);
    expect(() => new FeatureSet({ ...base, targets: [{ kind: 'parquet', keyBucketingNumber: 'four' as never }] })).toThrow('FeatureSet.spec.targets[0].key_bucketing_number: "four" is not an integer');
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
    // one line, with the position; the yaml package's excerpt of the document is left out
    expect(() => FeatureSet.fromYaml('spec:\n  entities: [a\n  x: 1\n')).toThrow(/^FeatureSet: the document is not valid YAML: [^\n]* at line \d+, column \d+$/);
  });

  it('refuses entities given as a string, from YAML and from options, with a model message (issue #8 item 10)', () => {
    const expected = 'FeatureSet.spec.entities: "user_id" must be a list of entity names or {name, value_type} dicts, e.g. entities: [user_id]';
    expect(() => FeatureSet.fromYaml('kind: FeatureSet\nmetadata: {name: a}\nspec:\n  entities: user_id\n')).toThrow(expected);
    expect(() => new FeatureSet({ name: 'a', entities: 'user_id' as unknown as string[] })).toThrow(expected);
  });
});
