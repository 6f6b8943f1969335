import { describe, expect, it } from 'vitest';
import { HyperParamOptions, parseSelector } from '../../../src/model/hyper-param-options.js';
import { SpecError } from '../../../src/errors.js';

describe('HyperParamOptions', () => {
  it('round-trips every field with snake_case keys (dict, JSON, YAML)', () => {
    const o = new HyperParamOptions({
      paramFile: 'params.csv',
      strategy: 'random',
      selector: 'min.loss',
      stopCondition: 'accuracy > 0.9',
      parallelRuns: 4,
      daskClusterUri: 'db://p/dask',
      maxIterations: 20,
      maxErrors: 2,
      teardownDask: true,
      seed: 7,
    });
    const d = o.toDict();
    expect(d).toEqual({
      param_file: 'params.csv',
      strategy: 'random',
      selector: 'min.loss',
      stop_condition: 'accuracy > 0.9',
      parallel_runs: 4,
      dask_cluster_uri: 'db://p/dask',
      max_iterations: 20,
      max_errors: 2,
      teardown_dask: true,
      seed: 7,
    });
    expect(HyperParamOptions.fromDict(d).toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(o))).toEqual(d);
    expect(HyperParamOptions.fromYaml(o.toYaml()).toDict()).toEqual(d);
  });

  it('accepts the four strategies and refuses others naming the value', () => {
    for (const strategy of ['grid', 'list', 'random', 'custom'] as const) expect(new HyperParamOptions({ strategy }).strategy).toBe(strategy);
    expect(() => HyperParamOptions.fromDict({ strategy: 'bayes' })).toThrow(
      'HyperParamOptions.strategy: "bayes" is not one of "grid", "list", "random", "custom"',
    );
    const o = new HyperParamOptions();
    (o as { strategy: string }).strategy = 'bayes';
    expect(() => o.validate()).toThrow('HyperParamOptions.strategy: "bayes" is not a strategy; expected one of grid, list, random, custom');
  });

  it('allows max_iterations and seed only with random', () => {
    expect(() => new HyperParamOptions({ maxIterations: 5 })).toThrow(
      'HyperParamOptions.max_iterations: 5 is only allowed with strategy "random" (strategy is "grid")',
    );
    expect(() => new HyperParamOptions({ strategy: 'list', maxIterations: 5 })).toThrow(/strategy is "list"/);
    expect(() => new HyperParamOptions({ strategy: 'grid', seed: 1 })).toThrow('HyperParamOptions.seed: 1 is only allowed with strategy "random" (strategy is "grid")');
    expect(() => new HyperParamOptions({ strategy: 'random', maxIterations: 0 })).toThrow('HyperParamOptions.max_iterations: 0 is not an integer in 1..1,000,000');
    expect(new HyperParamOptions({ strategy: 'random', maxIterations: 3, seed: 42 }).seed).toBe(42);
  });

  it('requires parallel_runs to be a positive integer and max_errors non-negative', () => {
    expect(() => new HyperParamOptions({ parallelRuns: 0 })).toThrow('HyperParamOptions.parallel_runs: 0 is not an integer in 1..1,024');
    expect(() => new HyperParamOptions({ parallelRuns: -2 })).toThrow(SpecError);
    expect(() => HyperParamOptions.fromDict({ parallel_runs: 1.5 })).toThrow('HyperParamOptions.parallel_runs: 1.5 is not an integer');
    expect(() => new HyperParamOptions({ maxErrors: -1 })).toThrow('HyperParamOptions.max_errors: -1 is not an integer in 0..1,000,000');
    expect(new HyperParamOptions({ parallelRuns: 3, maxErrors: 0 }).parallelRuns).toBe(3);
  });

  it('checks the selector shape', () => {
    expect(new HyperParamOptions({ selector: 'max.accuracy' }).selector).toBe('max.accuracy');
    expect(new HyperParamOptions({ selector: 'accuracy' }).selector).toBe('accuracy');
    for (const bad of ['', 'max.', 'avg.loss', 'min. loss', 'a b']) {
      expect(() => new HyperParamOptions({ selector: bad })).toThrow(`HyperParamOptions.selector: ${JSON.stringify(bad)} is not a selector`);
    }
  });

  it('names the nested path in errors', () => {
    expect(() => HyperParamOptions.fromDict({ parallel_runs: 0 }, 'RunSpec.hyper_param_options')).toThrow(
      'RunSpec.hyper_param_options.parallel_runs: 0 is not an integer in 1..1,024',
    );
  });

  it('refuses unknown keys and an empty stop condition', () => {
    expect(() => HyperParamOptions.fromDict({ max_iteration: 3 })).toThrow(/unknown key "max_iteration" \(value 3\); accepted keys: param_file, strategy/);
    expect(() => new HyperParamOptions({ stopCondition: ' ' })).toThrow(/stop_condition: " " is empty/);
  });
});

describe('parseSelector', () => {
  it('defaults to max and keeps dots after an explicit op', () => {
    expect(parseSelector('accuracy')).toEqual({ op: 'max', name: 'accuracy' });
    expect(parseSelector('min.loss')).toEqual({ op: 'min', name: 'loss' });
    expect(parseSelector('max.val.acc')).toEqual({ op: 'max', name: 'val.acc' });
    expect(() => parseSelector('val.acc')).toThrow('selector: "val.acc" is not a selector; expected "[min.|max.]<result>"');
  });
});

describe('HyperParamOptions numeric ranges (issue #8 item 10)', () => {
  it('refuses huge or out-of-range numbers with the range', () => {
    expect(() => HyperParamOptions.fromDict({ parallel_runs: 1e30 })).toThrow('HyperParamOptions.parallel_runs: 1e+30 is not an integer in 1..1,024');
    expect(() => HyperParamOptions.fromDict({ strategy: 'random', max_iterations: 0 })).toThrow('HyperParamOptions.max_iterations: 0 is not an integer in 1..1,000,000');
    expect(() => HyperParamOptions.fromDict({ max_errors: -1 })).toThrow('HyperParamOptions.max_errors: -1 is not an integer in 0..1,000,000');
  });
});
