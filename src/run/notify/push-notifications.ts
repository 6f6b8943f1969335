import { errorMessage } from '../../errors.js';
import { Notification } from '../../model/notification.js';
import { formatTime, systemClock } from '../../util/time.js';
import { redact } from '../../util/redact.js';
import { defaultNotifiers } from './default-notifiers.js';
import type { NotifiableRun, NotifierMap, NotifyContext } from './notifier.js';
import { notificationSecretValues } from './resolve-params.js';
import { decideNotification, RUNNING_DELIVERY_STATE } from './should-notify.js';

/** The delivery record of one notification, in the run dict's wire form (`status.notifications[name]`). */
export interface NotificationDeliveryDict {
  status: 'sent' | 'error';
  /** When the delivery finished (ISO-8601 with offset), on success and on error. */
  sent_time: string;
  /** Why it failed, or why its condition could not be evaluated. Never holds a secret value. */
  reason?: string;
  /** `running` for the delivery made when the run started; a later listed state (completed, ...) still sends. */
  run_state?: 'running';
}

/**
 * Sends every due notification (see `decideNotification`) concurrently and returns their delivery records by
 * name; notifications that are not due are absent from the result. A delivery made while the run is `running`
 * is marked `run_state: 'running'`. A condition that cannot be evaluated is recorded `{ status: 'error', reason }`
 * without sending. A delivery failure, an unknown kind or an
 * unresolvable secret reference never throws: it becomes `{ status: 'error', reason }`, with every secret value
 * (the context's secrets and the notification's `secret_params`) replaced by `***`, and a line to `ctx.logger`.
 * Only a list with duplicate names throws (a `SpecError`), since names key the records. When `ctx.signal` is
 * already aborted nothing is sent and the notifications stay pending. The run is not modified; merge the result
 * with {@link applyDeliveries}.
 *
 * @example
 * const deliveries = await pushNotifications(run, notifications, defaultNotifiers([webhook.createNotifier()]), { secrets });
 * await db.storeRun(applyDeliveries(run, deliveries));
 */
export async function pushNotifications(
  run: NotifiableRun,
  notifications: readonly Notification[],
  notifiers: NotifierMap = defaultNotifiers(),
  ctx: NotifyContext = {},
): Promise<Record<string, NotificationDeliveryDict>> {
  Notification.validateNotificationUniqueness(notifications);
  if (ctx.signal?.aborted) return {};
  const clock = ctx.clock ?? systemClock;
  const startedAt = run.status?.state === RUNNING_DELIVERY_STATE ? { run_state: RUNNING_DELIVERY_STATE } as const : {};
  const due: Notification[] = [];
  const refused: Array<[string, NotificationDeliveryDict]> = [];
  for (const n of notifications) {
    const decision = decideNotification(n, run);
    if (decision.send) due.push(n);
    else if (decision.conditionError !== undefined) {
      const reason = redact(decision.conditionError, notificationSecretValues(n, ctx.secrets));
      ctx.logger?.(`[sluice] notification "${n.name}" (${n.kind}) was not delivered: ${reason}`);
      refused.push([n.name, { status: 'error', sent_time: formatTime(clock()), reason }]);
    }
  }
  const records = await Promise.all(
    due.map(async (n): Promise<[string, NotificationDeliveryDict]> => {
      const secrets = notificationSecretValues(n, ctx.secrets);
      try {
        const notifier = notifiers.get(n.kind);
        if (notifier === undefined) {
          throw new Error(`no notifier for kind "${n.kind}"; known kinds: ${[...notifiers.keys()].join(', ') || 'none'} (pass it in the notifiers map)`);
        }
        await notifier.notify(run, n, ctx);
        return [n.name, { status: 'sent', sent_time: formatTime(clock()), ...startedAt }];
      } catch (err) {
        const reason = redact(errorMessage(err), secrets);
        ctx.logger?.(`[sluice] notification "${n.name}" (${n.kind}) was not delivered: ${reason}`);
        return [n.name, { status: 'error', sent_time: formatTime(clock()), reason, ...startedAt }];
      }
    }),
  );
  records.push(...refused);
  return Object.fromEntries(records);
}

/** A copy of `run` whose `status.notifications` holds `deliveries` over the records it had. */
export function applyDeliveries(run: NotifiableRun, deliveries: Record<string, NotificationDeliveryDict>): NotifiableRun {
  const status = run.status ?? {};
  const previous = typeof status.notifications === 'object' && status.notifications !== null ? status.notifications : {};
  return { ...run, status: { ...status, notifications: { ...previous, ...deliveries } } };
}
