import { describe, expect, it } from 'vitest';
import { newTask } from '../../../src/model/new-task.js';
import { RunTemplate } from '../../../src/model/run-template.js';
import { HyperParamOptions } from '../../../src/model/hyper-param-options.js';
import { NotSupportedError, SpecError } from '../../../src/errors.js';

describe('newTask', () => {
  it('fills metadata and spec from every argument', () => {
    const t = newTask({
      name: 'train',
      project: 'shop',
      handler: 'main',
      params: { p: 1 },
      hyperParams: { lr: [0.1, 0.2] },
      selector: 'max.accuracy',
      hyperParamOptions: { strategy: 'random', maxIterations: 3, seed: 9 },
      inputs: { 'data : csv': 'd.csv' },
      outputs: ['report'],
      inPath: '/in',
      outPath: '/out',
      secrets: ['file=secrets.env', 'env=A,B', { kind: 'inline', source: { K: 'v' } }, 'inline={"T":"x"}'],
      returns: ['model : model'],
    });
    expect(t).toBeInstanceOf(RunTemplate);
    expect(t.toDict()).toEqual({
      metadata: { name: 'train', project: 'shop' },
      spec: {
        handler: 'main',
        parameters: { p: 1 },
        hyperparams: { lr: [0.1, 0.2] },
        hyper_param_options: { strategy: 'random', max_iterations: 3, seed: 9, selector: 'max.accuracy' },
        inputs: { data: 'd.csv' },
        inputs_type_hints: { data: 'csv' },
        outputs: ['report', 'model'],
        returns: ['model : model'],
        input_path: '/in',
        output_path: '/out',
        secret_sources: [
          { kind: 'file', source: 'secrets.env' },
          { kind: 'env', source: 'A,B' },
          { kind: 'inline', source: { K: 'v' } },
          { kind: 'inline', source: { T: 'x' } },
        ],
      },
    });
    expect(RunTemplate.fromDict(t.toDict()).toDict()).toEqual(t.toDict());
    expect(RunTemplate.fromYaml(t.toYaml()).toDict()).toEqual(t.toDict());
  });

  it('artifactPath wins over outPath', () => {
    expect(newTask({ outPath: '/out', artifactPath: '/art' }).spec.outputPath).toBe('/art');
    expect(newTask({ outPath: '/out' }).spec.outputPath).toBe('/out');
    expect(newTask({ artifactPath: '/art' }).spec.outputPath).toBe('/art');
  });

  it('wires paramFile and selector into hyperParamOptions and accepts an instance', () => {
    const hpo = new HyperParamOptions({ strategy: 'list', parallelRuns: 2 });
    const t = newTask({ paramFile: 'p.csv', selector: 'min.loss', hyperParamOptions: hpo });
    expect(t.spec.hyperParamOptions?.toDict()).toEqual({ strategy: 'list', parallel_runs: 2, param_file: 'p.csv', selector: 'min.loss' });
    expect(hpo.paramFile).toBeUndefined();
    expect(() => newTask({ selector: 'avg.x' })).toThrow('newTask.hyperParamOptions.selector: "avg.x" is not a selector');
    expect(() => newTask({ hyperParams: { a: [1] }, paramFile: 'p.csv' })).toThrow('newTask: hyperparams (a) and param file "p.csv" are both set');
  });

  it('deep-copies base: changing the result leaves base untouched, and options override base values', () => {
    const base = newTask({ name: 'base', params: { nested: { a: 1 } }, inputs: { d: 'x' }, secrets: ['env=A'] })
      .withHyperParams({ p: [1, 2] }, 'max.m')
      .setLabel('team', 'data');
    const before = base.toDict();
    const t = newTask({ base, name: 'child', outPath: '/o' });
    expect(t).not.toBe(base);
    expect(t.metadata.name).toBe('child');
    expect(t.spec.parameters).toEqual({ nested: { a: 1 } });
    expect(t.metadata.labels).toEqual({ team: 'data' });
    (t.spec.parameters?.nested as { a: number }).a = 99;
    t.setLabel('team', 'other').withInput('e', 'y').withSecrets('file', 'f').withHyperParams({ q: [3] });
    t.spec.hyperparams!.q!.push(4);
    expect(base.toDict()).toEqual(before);
    expect(base.spec.parameters).toEqual({ nested: { a: 1 } });
  });

  it('accepts a dict as base', () => {
    const t = newTask({ base: { metadata: { name: 'b' }, spec: { handler: 'h' } }, project: 'p' });
    expect(t.toDict()).toEqual({ metadata: { name: 'b', project: 'p' }, spec: { handler: 'h' } });
    expect(() => newTask({ base: { spec: { nope: 1 } } })).toThrow(/newTask.base.spec: unknown key "nope"/);
  });

  it('refuses bad secrets, naming the entry', () => {
    expect(() => newTask({ secrets: ['vault=a'] })).toThrow(NotSupportedError);
    expect(() => newTask({ secrets: ['vault=a'] })).toThrow('newTask.secrets[0].kind: secret kind "vault" is not supported; Sluice supports inline, env and file secrets');
    expect(() => newTask({ secrets: ['env=A', 'justtext'] })).toThrow(SpecError);
    expect(() => newTask({ secrets: ['env=A', 'justtext'] })).toThrow('newTask.secrets[1]: "justtext" is not a secret spec; expected "<kind>=<source>"');
    expect(() => newTask({ secrets: ['inline=K=v'] })).toThrow('newTask.secrets[0]: an inline secret string must be "inline=" followed by a JSON map (value hidden)');
    expect(() => newTask({ secrets: 'env=A' as never })).toThrow(/newTask.secrets: "env=A" is not a list/);
  });

  it('refuses values of the wrong type, naming the argument', () => {
    expect(() => newTask({ name: 3 as never })).toThrow('newTask.name: 3 is not a string');
    expect(() => newTask({ returns: ['a:b:c'] })).toThrow(/returns\[0\]: "a:b:c" is not a log hint/);
    expect(() => newTask({ inputs: { 'a:b:c': 'x' } })).toThrow(/input key "a:b:c" has 2 colons/);
  });

  it("takes MLRun's snake_case arguments (#10: hyper_params and artifact_path were dropped silently)", () => {
    const t = newTask({
      name: 'sweep',
      hyper_params: { lr: [0.1, 0.2, 0.3] },
      selector: 'max.accuracy',
      hyper_param_options: { strategy: 'list', max_errors: 1 },
      in_path: '/in',
      out_path: '/out',
      artifact_path: '/art',
    } as never);
    expect(t.spec.hyperparams).toEqual({ lr: [0.1, 0.2, 0.3] });
    expect(t.spec.outputPath).toBe('/art');
    expect(t.spec.inputPath).toBe('/in');
    expect(t.spec.hyperParamOptions?.toDict()).toEqual({ strategy: 'list', max_errors: 1, selector: 'max.accuracy' });
    expect(newTask({ param_file: 'p.csv' } as never).spec.hyperParamOptions?.paramFile).toBe('p.csv');
    expect(newTask({ out_path: '/out' } as never).spec.outputPath).toBe('/out');
    // the same run as the camelCase spelling
    const camel = newTask({ name: 'sweep', hyperParams: { lr: [0.1, 0.2, 0.3] }, selector: 'max.accuracy', hyperParamOptions: { strategy: 'list', maxErrors: 1 }, inPath: '/in', artifactPath: '/art' });
    expect(t.toDict()).toEqual(camel.toDict());
  });

  it('refuses an unknown argument, and one given in both spellings, naming it', () => {
    expect(() => newTask({ hyperparams: { a: [1] } } as never)).toThrow(
      /^newTask: unknown argument "hyperparams" \(did you mean hyper_params\?\); accepted arguments: name, project, handler, params, hyper_params, param_file, selector, hyper_param_options, inputs, outputs, in_path, out_path, artifact_path, secrets, base, returns \(or their camelCase forms\)$/,
    );
    expect(() => newTask({ artifactpath: '/x' } as never)).toThrow(/unknown argument "artifactpath" \(did you mean artifact_path\?\)/);
    expect(() => newTask({ nope: 1 } as never)).toThrow(/^newTask: unknown argument "nope"; accepted arguments: name,/);
    expect(() => newTask({ outPath: '/a', out_path: '/b' } as never)).toThrow('newTask: out_path and outPath are both given; give one of them');
  });
});
