import { errorMessage } from '../../errors.js';
import type { Notification } from '../../model/notification.js';
import { compileExpression, truthy } from '../expression.js';
import type { NotifiableRun } from './notifier.js';

/** States that notify whenever `when` lists them; the condition is ignored (MLRun's rule). */
const ALWAYS_STATES: ReadonlySet<string> = new Set(['error', 'aborted']);

/** The outcome of {@link decideNotification}: whether to send and, when the condition failed, why it sends anyway. */
export interface NotifyDecision {
  send: boolean;
  /** Set when `condition` could not be evaluated and the notification is sent anyway; recorded on the delivery. */
  conditionError?: string;
}

/**
 * The delivery status that counts: the run's record `status.notifications[name].status` when it has one (so a
 * notification already sent for this run is not sent again), else the notification's own `status`.
 */
export function deliveryStatus(notification: Notification, run: NotifiableRun): string {
  const records = run.status?.notifications;
  const record = typeof records === 'object' && records !== null ? (records as Record<string, unknown>)[notification.name] : undefined;
  const status = typeof record === 'object' && record !== null ? (record as { status?: unknown }).status : undefined;
  return typeof status === 'string' ? status : notification.status;
}

/**
 * MLRun's `NotificationPusher._should_notify`, with the decisions Sluice takes where MLRun is silent:
 * - only a `pending` notification is sent (see {@link deliveryStatus});
 * - `when` (default `["completed"]`) must list the run's `status.state`;
 * - `error` and `aborted` always send when listed, the condition is ignored;
 * - `completed`, and any other listed state (MLRun never sends those), sends when `condition` is empty or truthy.
 *   The condition is a safe expression over `{ run, notification }` (`run.status.results.accuracy > 0.9`); a
 *   member the run lacks is `undefined`, so the comparison is false;
 * - a condition that does not parse or fails to evaluate (an unknown top-level name, a type error) sends anyway
 *   and reports why in `conditionError`: a spurious message is better than a silent failure (MLRun also sends
 *   when its condition times out).
 */
export function decideNotification(notification: Notification, run: NotifiableRun): NotifyDecision {
  if (deliveryStatus(notification, run) !== 'pending') return { send: false };
  const state = run.status?.state;
  if (typeof state !== 'string' || !notification.when.some((w) => w === state)) return { send: false };
  if (ALWAYS_STATES.has(state)) return { send: true };
  const condition = notification.condition?.trim() ?? '';
  if (condition === '') return { send: true };
  try {
    const scope = { run, notification: notification.toDict({ exclude: ['secret_params'] }) };
    return { send: truthy(compileExpression(condition).evaluate(scope)) };
  } catch (err) {
    return { send: true, conditionError: `condition could not be evaluated, sent anyway: ${errorMessage(err)}` };
  }
}

/** Whether `notification` is due for `run`; see {@link decideNotification} for the rules. */
export function shouldNotify(notification: Notification, run: NotifiableRun): boolean {
  return decideNotification(notification, run).send;
}
