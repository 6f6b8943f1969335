/**
 * The `webhook` connector: a notifier that posts a run's notification as JSON, with retries. Loaded lazily by the
 * caller (the CLI through `connectors/registry.ts`) and injected into `pushNotifications`.
 *
 * @example
 * const webhook = await import('./connectors/webhook/index.js');
 * await pushNotifications(run, notifications, defaultNotifiers([webhook.createNotifier()]), { secrets });
 */
import type { NotifierConnector } from '../../src/index.js';
import { createNotifier } from './webhook-notifier.js';

export { WebhookNotifier, createNotifier, isRetryableStatus } from './webhook-notifier.js';
export type { WebhookBody } from './webhook-notifier.js';
export { parseWebhookOptions, WEBHOOK_METHODS, WEBHOOK_PARAM_KEYS, WEBHOOK_DEFAULTS } from './webhook-options.js';
export type { WebhookOptions, WebhookMethod } from './webhook-options.js';
export { sendRequest, MAX_RESPONSE_TEXT } from './send-request.js';
export type { WebhookRequest, WebhookResponse } from './send-request.js';

/** The connector's kind. */
export const kind = 'webhook';

/** The webhook connector module: `{ kind, createNotifier }`. */
export const connector: NotifierConnector = { kind, createNotifier };
