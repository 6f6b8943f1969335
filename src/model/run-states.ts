/**
 * The states of a run (MLRun's `RunStates`). A run starts `created`, may wait `pending`, executes `running`
 * and ends in one of the {@link TERMINAL_STATES}. `aborting` is the transition into `aborted`; `unknown` is
 * what a run db reports for a run whose state it cannot tell.
 */
export const RunStates = {
  created: 'created',
  pending: 'pending',
  running: 'running',
  completed: 'completed',
  error: 'error',
  aborting: 'aborting',
  aborted: 'aborted',
  skipped: 'skipped',
  unknown: 'unknown',
} as const;

/** One run state: `'created' | 'pending' | ... | 'unknown'`. */
export type RunStates = (typeof RunStates)[keyof typeof RunStates];
/** Alias of the {@link RunStates} union, for readability in signatures. */
export type RunState = RunStates;

/** Every run state, in lifecycle order. */
export const RUN_STATES: readonly RunState[] = Object.values(RunStates);

/** States a run never leaves: completed, error, aborted, skipped. */
export const TERMINAL_STATES: readonly RunState[] = ['completed', 'error', 'aborted', 'skipped'];

/** Terminal states that count as a failure: error, aborted. */
export const ERROR_STATES: readonly RunState[] = ['error', 'aborted'];

/** True when `state` is one of the {@link TERMINAL_STATES}. */
export function isTerminal(state: string | undefined | null): boolean {
  return typeof state === 'string' && (TERMINAL_STATES as readonly string[]).includes(state);
}

/** True when `state` is a known run state; narrows the type. */
export function isRunState(state: unknown): state is RunState {
  return typeof state === 'string' && (RUN_STATES as readonly string[]).includes(state);
}
