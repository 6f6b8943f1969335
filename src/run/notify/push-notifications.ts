import { errorMessage } from '../../errors.js';
import { Notification } from '../../model/notification.js';
import { formatTime, systemClock } from '../../util/time.js';
import { redact } from '../../util/redact.js';
import { defaultNotifiers } from './default-notifiers.js';
import type { NotifiableRun, NotifierMap, NotifyContext } from './notifier.js';
import { notificationSecretValues } from './resolve-params.js';
import { decideNotification } from './should-notify.js';

/** The delivery record of one notification, in the run dict's wire form (`status.notifications[name]`). */
export interface NotificationDeliveryDict {
  status: 'sent' | 'error';
  /** When the delivery finished (ISO-8601 with offset), on success and on error. */
  sent_time: string;
  /** Why it failed, or why a condition that could not be evaluated sent anyway. Never holds a secret value. */
  reason?: string;
}

/**
 * Sends every due notification (see `decideNotification`) concurrently and returns their delivery records by
 * name; notifications that are not due are absent from the result. A delivery failure, an unknown kind or an
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
  const due = notifications.flatMap((n) => {
    const decision = decideNotification(n, run);
    return decision.send ? [{ n, conditionError: decision.conditionError }] : [];
  });
  const records = await Promise.all(
    due.map(async ({ n, conditionError }): Promise<[string, NotificationDeliveryDict]> => {
      const secrets = notificationSecretValues(n, ctx.secrets);
      try {
        const notifier = notifiers.get(n.kind);
        if (notifier === undefined) {
          throw new Error(`no notifier for kind "${n.kind}"; known kinds: ${[...notifiers.keys()].join(', ') || 'none'} (pass it in the notifiers map)`);
        }
        await notifier.notify(run, n, ctx);
        const sent: NotificationDeliveryDict = { status: 'sent', sent_time: formatTime(clock()) };
        if (conditionError !== undefined) sent.reason = redact(conditionError, secrets);
        return [n.name, sent];
      } catch (err) {
        const why = [errorMessage(err), conditionError].filter((s) => s !== undefined).join('; ');
        const reason = redact(why, secrets);
        ctx.logger?.(`[sluice] notification "${n.name}" (${n.kind}) was not delivered: ${reason}`);
        return [n.name, { status: 'error', sent_time: formatTime(clock()), reason }];
      }
    }),
  );
  return Object.fromEntries(records);
}

/** A copy of `run` whose `status.notifications` holds `deliveries` over the records it had. */
export function applyDeliveries(run: NotifiableRun, deliveries: Record<string, NotificationDeliveryDict>): NotifiableRun {
  const status = run.status ?? {};
  const previous = typeof status.notifications === 'object' && status.notifications !== null ? status.notifications : {};
  return { ...run, status: { ...status, notifications: { ...previous, ...deliveries } } };
}
