import { describe, expect, it } from 'vitest';
import { selectBest } from '../../../../src/run/hyper/selector.js';
import { SpecError } from '../../../../src/errors.js';

const child = (iteration: number, results: Record<string, unknown>, state = 'completed') => ({ iteration, state, results });

describe('selectBest with the model selector parser', () => {
  it('accepts a parsed selector and refuses a bad string, naming it', () => {
    const children = [child(1, { a: 1 }), child(2, { a: 2 })];
    expect(selectBest(children, { op: 'min', name: 'a' })).toBe(1);
    expect(() => selectBest(children, 'avg.a')).toThrow(SpecError);
    expect(() => selectBest(children, 'avg.a')).toThrow(/"avg.a" is not a selector/);
  });
});

describe('selectBest', () => {
  it('picks the max or min iteration', () => {
    const children = [child(1, { a: 0.5 }), child(2, { a: 0.9 }), child(3, { a: 0.7 })];
    expect(selectBest(children, 'max.a')).toBe(2);
    expect(selectBest(children, 'a')).toBe(2);
    expect(selectBest(children, 'min.a')).toBe(1);
  });

  it('compares negative values correctly', () => {
    const children = [child(1, { loss: -5 }), child(2, { loss: -2 }), child(3, { loss: -9 })];
    expect(selectBest(children, 'max.loss')).toBe(2);
    expect(selectBest(children, 'min.loss')).toBe(3);
  });

  it('coerces numeric strings and skips missing and non-numeric values', () => {
    const children = [child(1, { a: '0.95' }), child(2, { a: 0.9 }), child(3, {}), child(4, { a: 'n/a' }), child(5, { a: null }), child(6, { a: '1e-3' })];
    expect(selectBest(children, 'max.a')).toBe(1);
    expect(selectBest(children, 'min.a')).toBe(6);
  });

  it('skips failed children, breaks ties by order, and returns 0 when none qualifies', () => {
    const children = [child(1, { a: 99 }, 'error'), child(2, { a: 98 }, 'aborted'), child(3, { a: 1 }), child(4, { a: 1 })];
    expect(selectBest(children, 'max.a')).toBe(3);
    expect(selectBest([child(1, { a: 5 }, 'error')], 'max.a')).toBe(0);
    expect(selectBest([], 'max.a')).toBe(0);
    expect(selectBest([child(1, { b: 5 })], 'max.a')).toBe(0);
  });
});
