import { describe, expect, it } from 'vitest';
import { RunTemplate } from '../../../src/model/run-template.js';
import type { RunTemplateOptions } from '../../../src/model/run-template.js';
import { RunSpec } from '../../../src/model/run-spec.js';
import { RunMetadata } from '../../../src/model/run-metadata.js';
import { RunStatus } from '../../../src/model/run-status.js';
import { fields, T } from '../../../src/model/field.js';
import { assignFields, PATH } from '../../../src/model/model-obj.js';
import { NotSupportedError, SpecError } from '../../../src/errors.js';

describe('RunTemplate', () => {
  it('always has spec and metadata; dict form is { metadata, spec }', () => {
    const t = new RunTemplate();
    expect(t.spec).toBeInstanceOf(RunSpec);
    expect(t.metadata).toBeInstanceOf(RunMetadata);
    expect(t.toDict()).toEqual({});
    const t2 = new RunTemplate({ metadata: new RunMetadata({ name: 'n' }), spec: new RunSpec({ handler: 'h' }) });
    expect(Object.keys(t2.toDict())).toEqual(['metadata', 'spec']);
    expect(t2.toDict()).toEqual({ metadata: { name: 'n' }, spec: { handler: 'h' } });
  });

  it('builders return this and fill the spec', () => {
    const t = new RunTemplate();
    const r = t
      .withParams({ p1: 5 })
      .withInput('data : csv', 's3://b/d.csv')
      .withInput('other', '/o.parquet')
      .withSecrets('inline', { TOKEN: 'x' })
      .withSecrets('env', 'A,B')
      .withSecrets('file', 'secrets.env')
      .withHyperParams({ lr: [0.1, 0.2] }, 'max.accuracy', 'grid', { parallelRuns: 2, maxErrors: 1 })
      .setLabel('owner', 'ana')
      .setLabel('n', 3);
    expect(r).toBe(t);
    expect(t.spec.parameters).toEqual({ p1: 5 });
    expect(t.spec.inputs).toEqual({ data: 's3://b/d.csv', other: '/o.parquet' });
    expect(t.spec.inputsTypeHints).toEqual({ data: 'csv' });
    expect(t.spec.secretSources).toEqual([
      { kind: 'inline', source: { TOKEN: 'x' } },
      { kind: 'env', source: 'A,B' },
      { kind: 'file', source: 'secrets.env' },
    ]);
    expect(t.spec.hyperparams).toEqual({ lr: [0.1, 0.2] });
    expect(t.spec.hyperParamOptions?.toDict()).toEqual({ selector: 'max.accuracy', strategy: 'grid', parallel_runs: 2, max_errors: 1 });
    expect(t.metadata.labels).toEqual({ owner: 'ana', n: '3' });
  });

  it('withParams replaces the parameters, as MLRun', () => {
    const t = new RunTemplate().withParams({ a: 1 }).withParams({ b: 2 });
    expect(t.spec.parameters).toEqual({ b: 2 });
    expect(() => t.withParams([1] as never)).toThrow('withParams.params: [1] is not a map');
  });

  it('withInput refuses an empty path or a bad key', () => {
    expect(() => new RunTemplate().withInput('data', '')).toThrow('withInput: path for input "data" is ""; expected a path or URL');
    expect(() => new RunTemplate().withInput('a:b:c', 'x')).toThrow(/input key "a:b:c" has 2 colons/);
  });

  it('withSecrets refuses vault, kubernetes and azure_vault as not supported, and unknown kinds as spec errors', () => {
    for (const kind of ['vault', 'kubernetes', 'azure_vault']) {
      expect(() => new RunTemplate().withSecrets(kind, ['s'])).toThrow(NotSupportedError);
      expect(() => new RunTemplate().withSecrets(kind, ['s'])).toThrow(
        `withSecrets.kind: secret kind "${kind}" is not supported; Sluice supports inline, env and file secrets`,
      );
    }
    expect(() => new RunTemplate().withSecrets('aws', 'x')).toThrow(SpecError);
    expect(() => new RunTemplate().withSecrets('aws', 'x')).toThrow('withSecrets.kind: "aws" is not a secret kind; expected one of inline, env, file');
    expect(() => new RunTemplate().withSecrets('inline', 'K=V')).toThrow(/an inline secret source must be a map/);
  });

  it('withHyperParams validates options and replaces previous ones', () => {
    const t = new RunTemplate().withHyperParams({ p: [1, 2] }, 'min.loss', 'random', { maxIterations: 4, seed: 3 });
    expect(t.spec.hyperParamOptions?.toDict()).toEqual({ selector: 'min.loss', strategy: 'random', max_iterations: 4, seed: 3 });
    t.withHyperParams({ q: [1] });
    expect(t.spec.hyperParamOptions?.toDict()).toEqual({});
    expect(() => t.withHyperParams({ p: [1] }, 'max.a', 'grid', { maxIterations: 4 })).toThrow(
      'withHyperParams.max_iterations: 4 is only allowed with strategy "random" (strategy is "grid")',
    );
    expect(() => t.withHyperParams({ p: [1] }, 'bad.sel')).toThrow('withHyperParams.selector: "bad.sel" is not a selector');
    expect(() => t.withHyperParams({ p: 1 } as never)).toThrow('withHyperParams.hyperparams.p: 1 is not a list');
    expect(t.spec.hyperparams).toEqual({ q: [1] });
  });

  it('withParamFile sets the file in the options and refuses it next to inline hyperparams, leaving the task unchanged', () => {
    const t = new RunTemplate().withParamFile('params.csv', 'max.accuracy', 'list');
    expect(t.spec.hyperParamOptions?.toDict()).toEqual({ param_file: 'params.csv', selector: 'max.accuracy', strategy: 'list' });
    const h = new RunTemplate().withHyperParams({ p: [1, 2] }, 'max.a');
    expect(() => h.withParamFile('p.json')).toThrow('withParamFile: hyperparams (p) and param file "p.json" are both set; give one of them');
    expect(h.spec.hyperParamOptions?.toDict()).toEqual({ selector: 'max.a' });
  });

  it('round-trips through dict, JSON and YAML and refuses unknown keys', () => {
    const t = new RunTemplate()
      .withParams({ p: 1 })
      .withInput('d : csv', 'x.csv')
      .withHyperParams({ a: [1, 2] }, 'max.m')
      .setLabel('k', 'v');
    t.metadata.name = 'task';
    t.spec.returns = ['m : model'];
    const d = t.toDict();
    expect(d).toEqual({
      metadata: { name: 'task', labels: { k: 'v' } },
      spec: {
        parameters: { p: 1 },
        hyperparams: { a: [1, 2] },
        inputs: { d: 'x.csv' },
        outputs: ['m'],
        hyper_param_options: { selector: 'max.m' },
        inputs_type_hints: { d: 'csv' },
        returns: ['m : model'],
      },
    });
    expect(RunTemplate.fromDict(d).toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(t))).toEqual(d);
    expect(RunTemplate.fromYaml(t.toYaml()).toDict()).toEqual(d);
    expect(() => RunTemplate.fromDict({ metadata: {}, status: {} })).toThrow(/RunTemplate: unknown key "status" \(value \{\}\); accepted keys: kind, metadata, spec/);
    expect(() => RunTemplate.fromDict({ spec: { handlr: 'x' } })).toThrow(/RunTemplate.spec: unknown key "handlr"/);
  });

  it('can be subclassed with a status, as RunObject does', () => {
    interface WithStatusOptions extends RunTemplateOptions {
      status?: RunStatus;
    }
    class WithStatus extends RunTemplate {
      static override readonly fields = fields([
        ...RunTemplate.fields.map((f) => [f.prop, f.key, f.type] as const),
        ['status', 'status', T.model(() => RunStatus)],
      ]);
      declare status: RunStatus;
      constructor(options: WithStatusOptions = {}) {
        const { status, ...rest } = options;
        super(rest);
        this.status = new RunStatus();
        assignFields(this, WithStatus, { status, [PATH]: (options as Record<symbol, unknown>)[PATH] });
      }
    }
    const w = new WithStatus({ status: new RunStatus({ state: 'running' }) }).withParams({ a: 1 });
    expect(w).toBeInstanceOf(WithStatus);
    const d = w.toDict();
    expect(d).toEqual({ spec: { parameters: { a: 1 } }, status: { state: 'running' } });
    const back = WithStatus.fromDict(d);
    expect(back).toBeInstanceOf(WithStatus);
    expect(back.status.state).toBe('running');
    expect(back.copy().toDict()).toEqual(d);
    expect(() => WithStatus.fromDict({ status: { state: 'x' } })).toThrow(/WithStatus.status.state: "x" is not one of/);
  });
});
