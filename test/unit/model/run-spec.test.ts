import { describe, expect, it } from 'vitest';
import { parseSecretSource, RunSpec, validateLogHint } from '../../../src/model/run-spec.js';
import { HyperParamOptions } from '../../../src/model/hyper-param-options.js';
import { Notification } from '../../../src/model/notification.js';
import { NotSupportedError, SpecError } from '../../../src/errors.js';

describe('RunSpec', () => {
  it('round-trips every field with snake_case keys (dict, JSON, YAML)', () => {
    const spec = new RunSpec({
      parameters: { p1: 1, nested: { a: [1, 2] } },
      hyperparams: { lr: [0.1, 0.01] },
      selector: 'max.accuracy',
      handler: 'train',
      inputs: { 'data : csv': 's3://b/data.csv', model: '/m.pkl' },
      outputs: ['report'],
      inputPath: '/in',
      outputPath: '/out',
      function: 'hub://trainer',
      secretSources: [{ kind: 'env', source: 'A,B' }],
      dataStores: [{ name: 's3' }],
      strategy: 'grid',
      verbose: true,
      scrapeMetrics: false,
      hyperParamOptions: new HyperParamOptions({ strategy: 'grid', parallelRuns: 2 }),
      allowEmptyResources: true,
      returns: ['score', 'table : dataset', { key: 'model', artifact_type: 'model' }],
      notifications: [new Notification({ name: 'c' })],
      stateThresholds: { executing: '1h' },
    });
    const d = spec.toDict();
    expect(d).not.toHaveProperty('param_file');
    expect(d).toMatchObject({
      input_path: '/in',
      output_path: '/out',
      secret_sources: [{ kind: 'env', source: 'A,B' }],
      data_stores: [{ name: 's3' }],
      scrape_metrics: false,
      hyper_param_options: { strategy: 'grid', parallel_runs: 2 },
      allow_empty_resources: true,
      inputs: { data: 's3://b/data.csv', model: '/m.pkl' },
      inputs_type_hints: { data: 'csv' },
      outputs: ['report', 'score', 'table', 'model'],
      notifications: [{ kind: 'console', name: 'c', severity: 'info', when: ['completed'], status: 'pending' }],
      state_thresholds: { executing: '1h' },
    });
    expect(RunSpec.fromDict(d).toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(d);
    expect(RunSpec.fromYaml(spec.toYaml()).toDict()).toEqual(d);
  });

  it('keeps param_file and selector at the top level (MLRun legacy fields)', () => {
    const d = { param_file: 'p.csv', selector: 'min.loss', strategy: 'list', handler: 'h' };
    expect(RunSpec.fromDict(d).toDict()).toEqual(d);
  });

  it('extracts type hints from input keys: spaces dropped, one colon', () => {
    const spec = new RunSpec({ inputs: { ' my data : parquet ': 'a.pq', plain: 'b.csv', 'x:': 'c' }, inputsTypeHints: { plain: 'str' } });
    expect(spec.inputs).toEqual({ mydata: 'a.pq', plain: 'b.csv', x: 'c' });
    expect(spec.inputsTypeHints).toEqual({ plain: 'str', mydata: 'parquet' });
    spec.inputs = { 'more : json': 'd.json' };
    expect(spec.inputs).toEqual({ more: 'd.json' });
    expect(spec.inputsTypeHints).toEqual({ plain: 'str', mydata: 'parquet', more: 'json' });
  });

  it('refuses an input key with more than one colon or no name, naming the key', () => {
    expect(() => new RunSpec({ inputs: { 'a:b:c': 'x' } })).toThrow(SpecError);
    expect(() => new RunSpec({ inputs: { 'a:b:c': 'x' } })).toThrow('RunSpec.inputs: input key "a:b:c" has 2 colons');
    expect(() => RunSpec.fromDict({ inputs: { ' : csv': 'x' } })).toThrow('RunSpec.inputs: input key " : csv" has no name');
    const spec = new RunSpec();
    expect(() => {
      spec.inputs = { 'd::t': 'x' };
    }).toThrow(/input key "d::t"/);
  });

  it('validates returns as log hints', () => {
    expect(new RunSpec({ returns: ['a', 'b : model', { key: 'c' }] }).returns).toHaveLength(3);
    expect(() => new RunSpec({ returns: ['a : b : c'] })).toThrow('RunSpec.returns[0]: "a : b : c" is not a log hint');
    expect(() => new RunSpec({ returns: ['ok', 'a :'] })).toThrow('RunSpec.returns[1]: "a :" is not a log hint');
    expect(() => new RunSpec({ returns: [': t'] })).toThrow(/returns\[0\]: ": t" is not a log hint/);
    expect(() => new RunSpec({ returns: [{ artifact_type: 'model' } as never] })).toThrow(
      'RunSpec.returns[0]: log hint {"artifact_type":"model"} has no "key"',
    );
    expect(() => RunSpec.fromDict({ returns: [3] })).toThrow('RunSpec.returns[0]: 3 is not a log hint');
    expect(() => validateLogHint({ key: '' })).toThrow(/has no "key"/);
  });

  it('outputs is the union of outputs and returns keys in order of first appearance', () => {
    const spec = new RunSpec({ outputs: ['b', 'a'], returns: ['c : dataset', 'a', { key: 'd' }, 'b'] });
    expect(spec.outputs).toEqual(['b', 'a', 'c', 'd']);
    expect(RunSpec.joinOutputsAndReturns(['x'], ['y', 'x', { key: 'z' }])).toEqual(['x', 'y', 'z']);
    expect(RunSpec.joinOutputsAndReturns(undefined, undefined)).toEqual([]);
  });

  it('checks secret sources: inline, env, file; MLRun-only kinds are not supported', () => {
    const spec = new RunSpec({ secretSources: [{ kind: 'inline', source: { K: 'v' } }, { kind: 'file', source: 's.env' }] });
    expect(spec.secretSources).toHaveLength(2);
    expect(parseSecretSource({ kind: 'env', source: ['A', 'B'] })).toEqual({ kind: 'env', source: 'A,B' });
    expect(() => RunSpec.fromDict({ secret_sources: [{ kind: 'vault', source: ['s'] }] })).toThrow(NotSupportedError);
    expect(() => RunSpec.fromDict({ secret_sources: [{ kind: 'vault', source: ['s'] }] })).toThrow(
      'RunSpec.secret_sources[0].kind: secret kind "vault" is not supported; Sluice supports inline, env and file secrets',
    );
    expect(() => RunSpec.fromDict({ secret_sources: [{ kind: 'magic', source: 'x' }] })).toThrow('RunSpec.secret_sources[0].kind: "magic" is not a secret kind');
    expect(() => RunSpec.fromDict({ secret_sources: [{ kind: 'env', source: 'A,1B' }] })).toThrow(/secret_sources\[0\].source: "A,1B" is not a list of environment variable names/);
    expect(() => RunSpec.fromDict({ secret_sources: [{ kind: 'file' }] })).toThrow(/expected a mapping \{ kind, source \}/);
  });

  it('never puts inline secret values into errors', () => {
    let msg = '';
    try {
      RunSpec.fromDict({ secret_sources: [{ kind: 'inline', source: { PASSWORD: 12345678 } }] });
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toBe('RunSpec.secret_sources[0].source.PASSWORD: inline secret values must be strings (value hidden)');
    expect(msg).not.toContain('12345678');
  });

  it('refuses duplicate notification names, naming the name', () => {
    expect(() => RunSpec.fromDict({ notifications: [{ name: 'a' }, { name: 'a' }] })).toThrow(
      'RunSpec.notifications: notification names must be unique, but "a" is used more than once',
    );
    expect(() => RunSpec.fromDict({ notifications: [{ kind: 'slack', name: 'a' }] })).toThrow(
      /RunSpec.notifications\[0\].kind: notification kind "slack" is not supported/,
    );
  });

  it('builds notifications and hyper_param_options from plain camelCase option objects, and still reads dicts strictly', () => {
    const spec = new RunSpec({ hyperParamOptions: { maxIterations: 3, strategy: 'random' } as never });
    expect(spec.hyperParamOptions).toBeInstanceOf(HyperParamOptions);
    expect(spec.hyperParamOptions?.maxIterations).toBe(3);
    spec.notifications = [{ kind: 'webhook', when: ['error'], secretParams: { url: 'http://127.0.0.1:1/hook' } } as never];
    expect(spec.notifications[0]).toBeInstanceOf(Notification);
    expect(spec.toDict().notifications).toEqual([{ kind: 'webhook', name: 'webhook', severity: 'info', when: ['error'], secret_params: { url: 'http://127.0.0.1:1/hook' }, status: 'pending' }]);
    expect(() => (spec.notifications = [{ kind: 'console', sevrity: 'info' } as never])).toThrow(/RunSpec.notifications\[0\]: unknown option "sevrity"/);
    expect(() => RunSpec.fromDict({ notifications: [{ kind: 'console', secretParams: {} }] })).toThrow(/RunSpec.notifications\[0\]: unknown key "secretParams"/);
  });

  it('checks selector, strategy, nested hyper_param_options and the hyperparams/param file conflict', () => {
    expect(() => RunSpec.fromDict({ selector: 'avg.x' })).toThrow('RunSpec.selector: "avg.x" is not a selector');
    expect(() => RunSpec.fromDict({ strategy: 'bayes' })).toThrow(/RunSpec.strategy: "bayes" is not one of/);
    expect(() => RunSpec.fromDict({ hyper_param_options: { max_iterations: 3 } })).toThrow(
      'RunSpec.hyper_param_options.max_iterations: 3 is only allowed with strategy "random"',
    );
    expect(() => RunSpec.fromDict({ hyperparams: { p: [1] }, hyper_param_options: { param_file: 'p.csv' } })).toThrow(
      'RunSpec: hyperparams (p) and param file "p.csv" are both set; give one of them',
    );
    expect(() => RunSpec.fromDict({ hyperparams: { p: 1 } })).toThrow('RunSpec.hyperparams.p: 1 is not a list');
  });

  it('refuses unknown keys and a non-string handler', () => {
    expect(() => RunSpec.fromDict({ params: {} })).toThrow(/RunSpec: unknown key "params" \(value \{\}\); accepted keys: parameters, hyperparams/);
    expect(() => RunSpec.fromDict({ handler: { fn: 1 } })).toThrow('RunSpec.handler: {"fn":1} is not a string');
    expect(() => new RunSpec({ parameter: {} } as never)).toThrow(/RunSpec: unknown option "parameter"/);
  });

  it("reads MLRun 1.7's fields and secret sources in new_task's string form, and still refuses unknown keys (#10)", () => {
    const spec = RunSpec.fromDict({
      reset_on_run: true,
      node_selector: { 'kubernetes.io/hostname': 'k8s-node1' },
      log_level: 'info',
      secret_sources: ['file=secrets.env', 'env=A,B', { kind: 'inline', source: { K: 'v' } }],
    });
    expect(spec.resetOnRun).toBe(true);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'k8s-node1' });
    expect(spec.secretSources).toEqual([
      { kind: 'file', source: 'secrets.env' },
      { kind: 'env', source: 'A,B' },
      { kind: 'inline', source: { K: 'v' } },
    ]);
    expect(spec.toDict()).toMatchObject({ reset_on_run: true, log_level: 'info', node_selector: { 'kubernetes.io/hostname': 'k8s-node1' } });
    expect(() => RunSpec.fromDict({ secret_sources: ['vault=x'] })).toThrow('RunSpec.secret_sources[0].kind: secret kind "vault" is not supported');
    expect(() => RunSpec.fromDict({ secret_sources: ['secrets.env'] })).toThrow('RunSpec.secret_sources[0]: "secrets.env" is not a secret spec');
    expect(() => RunSpec.fromDict({ reset_on_runs: true })).toThrow(/RunSpec: unknown key "reset_on_runs"/);
  });
});
