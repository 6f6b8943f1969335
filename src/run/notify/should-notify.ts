import { errorMessage } from '../../errors.js';
import type { Notification } from '../../model/notification.js';
import { conditionHolds, parseNotificationCondition } from '../../model/notification-condition.js';
import type { NotifiableRun } from './notifier.js';

/**
 * States that notify whenever `when` lists them; the condition is ignored: error and aborted (MLRun's rule), and
 * running (the run has no results yet; MLRun's pipeline-start message ignores conditions too).
 */
const ALWAYS_STATES: ReadonlySet<string> = new Set(['error', 'aborted', 'running']);

/** The state a delivery marked with `run_state` was made in; such a delivery counts only while the run is in it. */
export const RUNNING_DELIVERY_STATE = 'running';

/** The outcome of {@link decideNotification}: whether to send and, when the condition failed, why it sends anyway. */
export interface NotifyDecision {
  send: boolean;
  /** Set when `condition` could not be parsed or evaluated: the notification is not sent and this is recorded. */
  conditionError?: string;
}

/**
 * The delivery status that counts: the run's record `status.notifications[name].status` when it has one (so a
 * notification already sent for this run is not sent again), else the notification's own `status`. A record
 * marked `run_state: running` (sent when the run started) counts only while the run is running, so a
 * notification listing `running` and `completed` goes out once for each.
 */
export function deliveryStatus(notification: Notification, run: NotifiableRun): string {
  const records = run.status?.notifications;
  const record = typeof records === 'object' && records !== null ? (records as Record<string, unknown>)[notification.name] : undefined;
  if (typeof record !== 'object' || record === null) return notification.status;
  const { status, run_state: at } = record as { status?: unknown; run_state?: unknown };
  if (at === RUNNING_DELIVERY_STATE && run.status?.state !== RUNNING_DELIVERY_STATE) return 'pending';
  return typeof status === 'string' ? status : notification.status;
}

/**
 * MLRun's `NotificationPusher._should_notify`, with the decisions Sluice takes where MLRun is silent:
 * - only a `pending` notification is sent (see {@link deliveryStatus});
 * - `when` (default `["completed"]`) must list the run's `status.state`;
 * - `error` and `aborted` always send when listed, the condition is ignored;
 * - `completed`, and any other listed state (MLRun never sends those), sends when `condition` is empty or holds.
 *   The condition is MLRun's Jinja form `{{ run["status"]["results"]["accuracy"] > 0.9 }}` or a bare safe
 *   expression over `{ run, notification }` (see `parseNotificationCondition`); a member the run lacks is
 *   missing, so the comparison is false;
 * - a condition that does not parse or fails to evaluate never sends: the notification is recorded `error` with
 *   the reason in `conditionError` (MLRun sends it unconditionally; a spec error is refused when the
 *   notification is created, this catches a condition assigned afterwards or a type error at run time).
 */
export function decideNotification(notification: Notification, run: NotifiableRun): NotifyDecision {
  if (deliveryStatus(notification, run) !== 'pending') return { send: false };
  const state = run.status?.state;
  if (typeof state !== 'string' || !notification.when.some((w) => w === state)) return { send: false };
  if (ALWAYS_STATES.has(state)) return { send: true };
  try {
    const condition = parseNotificationCondition(notification.condition ?? '', 'Notification.condition');
    if (condition === undefined) return { send: true };
    const scope = { run, notification: notification.toDict({ exclude: ['secret_params'] }) };
    return { send: conditionHolds(condition, scope) };
  } catch (err) {
    return { send: false, conditionError: `condition could not be evaluated, not sent: ${errorMessage(err)}` };
  }
}

/** Whether `notification` is due for `run`; see {@link decideNotification} for the rules. */
export function shouldNotify(notification: Notification, run: NotifiableRun): boolean {
  return decideNotification(notification, run).send;
}
