import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateIterations } from '../../../../src/run/hyper/generate-iterations.js';
import { gridIterations } from '../../../../src/run/hyper/grid.js';
import { listIterations } from '../../../../src/run/hyper/list.js';
import { randomIterations } from '../../../../src/run/hyper/random.js';
import { mulberry32 } from '../../../../src/run/hyper/prng.js';
import { validateHyperOptions } from '../../../../src/run/hyper/hyper-options.js';
import { BadInputError, NotFoundError, SpecError } from '../../../../src/errors.js';
import { tmpDir } from '../../../support/tmp-dir.js';

describe('grid', () => {
  it('varies the first parameter fastest', async () => {
    expect(await generateIterations({ p1: [1, 2], p2: ['a', 'b'] }, {})).toEqual([
      { p1: 1, p2: 'a' },
      { p1: 2, p2: 'a' },
      { p1: 1, p2: 'b' },
      { p1: 2, p2: 'b' },
    ]);
    const three = gridIterations({ a: [1, 2], b: [3], c: [4, 5, 6] });
    expect(three).toHaveLength(6);
    expect(three.map((s) => `${s.a}${s.b}${s.c}`)).toEqual(['134', '234', '135', '235', '136', '236']);
  });

  it('refuses a value that is not a list or an empty list, naming the parameter', () => {
    expect(() => gridIterations({ p1: 5 as never })).toThrow('hyperparams.p1: 5 is not a list of values');
    expect(() => gridIterations({ p1: [] })).toThrow(/hyperparams.p1: the list of values is empty/);
  });
});

describe('list', () => {
  it('zips equal-length lists into rows', async () => {
    expect(await generateIterations({ a: [1, 2, 3], b: ['x', 'y', 'z'] }, { strategy: 'list' })).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z' },
    ]);
  });

  it('refuses unequal lengths naming every parameter and its length', () => {
    expect(() => listIterations({ a: [1, 2], b: [1, 2, 3] })).toThrow(SpecError);
    expect(() => listIterations({ a: [1, 2], b: [1, 2, 3] })).toThrow('hyperparams: the list strategy needs lists of equal length; got a: 2, b: 3');
  });
});

describe('random', () => {
  it('draws maxIterations samples (default 10) from the given values', async () => {
    const params = { a: [1, 2, 3], b: ['x', 'y'] };
    const ten = await generateIterations(params, { strategy: 'random', seed: 7 });
    expect(ten).toHaveLength(10);
    const many = randomIterations(params, 500, 3);
    expect(many).toHaveLength(500);
    for (const s of many) {
      expect(params.a).toContain(s.a);
      expect(params.b).toContain(s.b);
      expect(Object.keys(s)).toEqual(['a', 'b']);
    }
    // every value is reachable
    expect(new Set(many.map((s) => s.a))).toEqual(new Set([1, 2, 3]));
    expect(new Set(many.map((s) => s.b))).toEqual(new Set(['x', 'y']));
  });

  it('repeats the same sequence for the same seed and differs for another', async () => {
    const params = { a: [...Array(100).keys()], b: [...Array(100).keys()] };
    const one = await generateIterations(params, { strategy: 'random', maxIterations: 20, seed: 42 });
    const two = await generateIterations(params, { strategy: 'random', maxIterations: 20, seed: 42 });
    const other = await generateIterations(params, { strategy: 'random', maxIterations: 20, seed: 43 });
    expect(one).toEqual(two);
    expect(one).not.toEqual(other);
  });

  it('mulberry32 stays in [0, 1)', () => {
    const next = mulberry32(123);
    for (let i = 0; i < 10_000; i += 1) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe('options', () => {
  it('returns no iterations for custom or when there is nothing to sweep', async () => {
    expect(await generateIterations({ a: [1, 2] }, { strategy: 'custom' })).toEqual([]);
    expect(await generateIterations(undefined, {})).toEqual([]);
    expect(await generateIterations({}, {})).toEqual([]);
  });

  it('validates strategy, maxIterations and counts, naming the option and value', async () => {
    await expect(generateIterations({ a: [1] }, { strategy: 'bayes' as never })).rejects.toThrow(
      'hyper_param_options.strategy: "bayes" is not one of grid, list, random, custom',
    );
    await expect(generateIterations({ a: [1] }, { maxIterations: 5 })).rejects.toThrow(/max_iterations: 5 is only valid with strategy random \(strategy is grid\)/);
    expect(() => validateHyperOptions({ strategy: 'random', maxIterations: 0 })).toThrow(/max_iterations: 0 is not an integer >= 1/);
    expect(() => validateHyperOptions({ maxErrors: -1 })).toThrow(/max_errors: -1/);
    expect(() => validateHyperOptions({ parallelRuns: 1.5 })).toThrow(/parallel_runs: 1.5/);
    expect(() => validateHyperOptions({ selector: 'avg.loss' })).toThrow(/"avg.loss" is not a selector/);
    expect(() => validateHyperOptions({ stopCondition: 'accuracy >' })).toThrow(/unexpected end of expression at column 11/);
  });
});

describe('param files', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ dir, cleanup } = await tmpDir());
  });
  afterEach(() => cleanup());

  it('reads a CSV file as list rows with numbers parsed', async () => {
    const path = join(dir, 'params.csv');
    await writeFile(path, 'lr,name,depth,flag\r\n0.1,"a, b",3,true\n1e-3,plain,-2,False\n\n');
    expect(await generateIterations(undefined, { paramFile: path })).toEqual([
      { lr: 0.1, name: 'a, b', depth: 3, flag: true },
      { lr: 0.001, name: 'plain', depth: -2, flag: false },
    ]);
    expect(await generateIterations(undefined, { paramFile: path, strategy: 'list' })).toHaveLength(2);
  });

  it('refuses grid or random with a CSV file', async () => {
    const path = join(dir, 'params.csv');
    await writeFile(path, 'a\n1\n');
    await expect(generateIterations(undefined, { paramFile: path, strategy: 'grid' })).rejects.toThrow(
      new RegExp(`param file .*params.csv: a CSV param file needs strategy list, not grid`),
    );
    await expect(generateIterations(undefined, { paramFile: path, strategy: 'random' })).rejects.toThrow(SpecError);
  });

  it('names the file and line of a bad CSV row', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'a,b\n1,2\n3\n');
    await expect(generateIterations(undefined, { paramFile: path })).rejects.toThrow(/bad.csv: line 3 has 1 values; the header has 2 \(a, b\)/);
    await writeFile(path, 'a,a\n1,2\n');
    await expect(generateIterations(undefined, { paramFile: path })).rejects.toThrow(BadInputError);
  });

  it('reads a JSON file as the hyperparams dict for grid and random', async () => {
    const path = join(dir, 'params.json');
    await writeFile(path, JSON.stringify({ p1: [1, 2], p2: ['a', 'b'] }));
    expect(await generateIterations(undefined, { paramFile: path })).toEqual([
      { p1: 1, p2: 'a' },
      { p1: 2, p2: 'a' },
      { p1: 1, p2: 'b' },
      { p1: 2, p2: 'b' },
    ]);
    expect(await generateIterations(undefined, { paramFile: path, strategy: 'random', maxIterations: 3, seed: 1 })).toHaveLength(3);
    await writeFile(path, JSON.stringify({ p1: [1, 2], p2: [3] }));
    await expect(generateIterations(undefined, { paramFile: path, strategy: 'list' })).rejects.toThrow(/params.json: the list strategy needs lists of equal length; got p1: 2, p2: 1/);
  });

  it('names the file for missing files, bad JSON and a wrong shape', async () => {
    const missing = join(dir, 'nope.json');
    await expect(generateIterations(undefined, { paramFile: missing })).rejects.toThrow(NotFoundError);
    await expect(generateIterations(undefined, { paramFile: missing })).rejects.toThrow(`param file ${missing} does not exist`);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{nope');
    await expect(generateIterations(undefined, { paramFile: bad })).rejects.toThrow(/bad.json: not valid JSON/);
    await writeFile(bad, '[1, 2]');
    await expect(generateIterations(undefined, { paramFile: bad })).rejects.toThrow(/bad.json: expected a map of parameter name to a list of values/);
  });

  it('refuses hyperparams and a param file together', async () => {
    await expect(generateIterations({ a: [1] }, { paramFile: 'x.json' })).rejects.toThrow('hyperparams and param_file (x.json) cannot be used together; give one of them');
  });

  it('reads through an injected reader', async () => {
    const iterations = await generateIterations(undefined, { paramFile: 'mem://p.csv' }, async (p) => new TextEncoder().encode(`x\n${p.length}\n`));
    expect(iterations).toEqual([{ x: 11 }]);
  });
});
