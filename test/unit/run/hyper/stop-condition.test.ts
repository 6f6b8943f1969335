import { describe, expect, it } from 'vitest';
import { shouldStop } from '../../../../src/run/hyper/stop-condition.js';
import { compileExpression, ExpressionError } from '../../../../src/run/expression.js';

describe('shouldStop', () => {
  it('evaluates the condition over the child results', () => {
    expect(shouldStop('accuracy > 0.9', { accuracy: 0.95 })).toBe(true);
    expect(shouldStop('accuracy > 0.9', { accuracy: 0.5 })).toBe(false);
    expect(shouldStop('accuracy > 0.9', { accuracy: '0.95' })).toBe(true);
    expect(shouldStop('accuracy > 0.9 and loss < 0.1', { accuracy: 0.95, loss: 0.2 })).toBe(false);
    expect(shouldStop(compileExpression('done'), { done: 1 })).toBe(true);
  });

  it('is false, not an error, when the child lacks the result', () => {
    expect(shouldStop('accuracy > 0.9', {})).toBe(false);
    expect(shouldStop('accuracy > 0.9', undefined)).toBe(false);
    expect(shouldStop('accuracy * 100 > 90', { loss: 1 })).toBe(false);
  });

  it('is false without a condition and throws on a bad one', () => {
    expect(shouldStop(undefined, { a: 1 })).toBe(false);
    expect(shouldStop('', { a: 1 })).toBe(false);
    expect(() => shouldStop('accuracy >', { accuracy: 1 })).toThrow(ExpressionError);
    expect(() => shouldStop('accuracy - "x" > 1', { accuracy: 1 })).toThrow(/cannot apply "-" to number and string/);
  });
});
