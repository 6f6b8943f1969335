/**
 * Run notifications: which are due (`shouldNotify`), delivering them (`pushNotifications`) and the built-in
 * `console` notifier. Other kinds (the `webhook` connector) are injected by the caller as {@link Notifier}s.
 */
export type { Notifier, NotifierConnector, NotifierMap, NotifyContext, NotifySecrets, NotifiableRun } from './notifier.js';
export { shouldNotify, decideNotification, deliveryStatus } from './should-notify.js';
export type { NotifyDecision } from './should-notify.js';
export { pushNotifications, applyDeliveries } from './push-notifications.js';
export type { NotificationDeliveryDict } from './push-notifications.js';
export { consoleNotifier, consoleLine } from './console-notifier.js';
export { defaultNotifiers } from './default-notifiers.js';
export { resolveNotificationParams, notificationSecretValues } from './resolve-params.js';
export type { ResolvedParams } from './resolve-params.js';
export { notificationMessage, runLabel, runState, runError } from './notification-message.js';
export { retryDelay, sleepFor } from './backoff.js';
