import type { Notification } from '../../model/notification.js';
import type { NotifiableRun } from './notifier.js';

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  completed: 'run completed',
  error: 'run failed',
  aborted: 'run aborted',
};

/** The run's state, or `unknown` when the dict has none. */
export function runState(run: NotifiableRun): string {
  const state = run.status?.state;
  return typeof state === 'string' && state !== '' ? state : 'unknown';
}

/** The run's error text, when it is in an error state and has one. */
export function runError(run: NotifiableRun): string | undefined {
  const error = run.status?.error;
  return typeof error === 'string' && error !== '' ? error : undefined;
}

/** `notification.message`, or a default for the run's state (`run completed`, `run failed`, ...). */
export function notificationMessage(notification: Notification, run: NotifiableRun): string {
  if (notification.message !== undefined && notification.message !== '') return notification.message;
  const state = runState(run);
  return DEFAULT_MESSAGES[state] ?? `run ${state}`;
}

/** `<name> (<uid>)`, with `, iter N` for a hyperparameter child. */
export function runLabel(run: NotifiableRun): string {
  const { name, uid, iteration } = run.metadata;
  const iter = typeof iteration === 'number' && iteration > 0 ? `, iter ${iteration}` : '';
  return `${name ?? '(unnamed)'} (${uid}${iter})`;
}
