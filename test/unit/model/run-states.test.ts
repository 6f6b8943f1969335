import { describe, expect, it } from 'vitest';
import { ERROR_STATES, isRunState, isTerminal, RUN_STATES, RunStates, TERMINAL_STATES } from '../../../src/model/run-states.js';
import type { RunState } from '../../../src/model/run-states.js';

describe('RunStates', () => {
  it('lists the nine MLRun states', () => {
    expect([...RUN_STATES].sort()).toEqual(
      ['aborted', 'aborting', 'completed', 'created', 'error', 'pending', 'running', 'skipped', 'unknown'],
    );
    const s: RunState = RunStates.completed;
    expect(s).toBe('completed');
  });

  it('marks completed, error, aborted and skipped as terminal, nothing else', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['aborted', 'completed', 'error', 'skipped']);
    for (const s of RUN_STATES) expect(isTerminal(s)).toBe(TERMINAL_STATES.includes(s));
    expect(isTerminal('aborting')).toBe(false);
    expect(isTerminal('nonsense')).toBe(false);
    expect(isTerminal(undefined)).toBe(false);
    expect(ERROR_STATES).toEqual(['error', 'aborted']);
  });

  it('recognises run states', () => {
    expect(isRunState('running')).toBe(true);
    expect(isRunState('done')).toBe(false);
    expect(isRunState(3)).toBe(false);
  });
});
