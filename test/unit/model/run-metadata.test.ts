import { describe, expect, it } from 'vitest';
import { RunMetadata } from '../../../src/model/run-metadata.js';
import { SpecError } from '../../../src/errors.js';

describe('RunMetadata', () => {
  it('round-trips through dict, JSON and YAML', () => {
    const md = new RunMetadata({ uid: 'abc', name: 'train', project: 'p', labels: { owner: 'ana' }, annotations: { a: 'b' }, iteration: 2 });
    const d = md.toDict();
    expect(d).toEqual({ uid: 'abc', name: 'train', project: 'p', labels: { owner: 'ana' }, annotations: { a: 'b' }, iteration: 2 });
    expect(RunMetadata.fromDict(d).toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(md))).toEqual(d);
    expect(RunMetadata.fromYaml(md.toYaml()).toDict()).toEqual(d);
  });

  it('omits empty values', () => {
    expect(new RunMetadata({ name: 'x', labels: {} }).toDict()).toEqual({ name: 'x' });
  });

  it('refuses unknown keys, wrong types and negative iterations', () => {
    expect(() => RunMetadata.fromDict({ name: 'x', tag: 'v1' })).toThrow(/RunMetadata: unknown key "tag" \(value "v1"\); accepted keys: uid, name, project/);
    expect(() => RunMetadata.fromDict({ labels: { a: 1 } })).toThrow('RunMetadata.labels.a: 1 is not a string');
    expect(() => new RunMetadata({ iteration: 1.5 })).toThrow('RunMetadata.iteration: 1.5 is not an integer');
    expect(() => new RunMetadata({ iteration: -1 })).toThrow(SpecError);
    expect(() => new RunMetadata({ iteration: -1 })).toThrow('RunMetadata.iteration: -1 is not an integer in 0..1,000,000');
  });
});
