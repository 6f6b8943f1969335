import { NotSupportedError, SpecError } from '../errors.js';
import { fields, isPlainObject, T } from './field.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';
import { parseNotificationCondition } from './notification-condition.js';
import { RUN_STATES } from './run-states.js';
import type { RunState } from './run-states.js';

/** Notification kinds Sluice delivers. */
export type NotificationKind = 'console' | 'webhook';
export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['console', 'webhook'];
/** MLRun kinds Sluice deliberately does not deliver. */
export const UNSUPPORTED_NOTIFICATION_KINDS: readonly string[] = ['slack', 'git', 'ipython', 'mail'];

export type NotificationSeverity = 'info' | 'debug' | 'verbose' | 'warning' | 'error';
export const NOTIFICATION_SEVERITIES: readonly NotificationSeverity[] = ['info', 'debug', 'verbose', 'warning', 'error'];

/** Delivery status: `pending` until tried, then `sent` or `error`. */
export type NotificationStatus = 'pending' | 'sent' | 'error';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'sent', 'error'];

/** Largest serialised `secret_params` accepted (MLRun's limit). */
export const MAX_SECRET_PARAMS_BYTES = 900 * 1024;

export interface NotificationOptions {
  kind?: NotificationKind;
  name?: string;
  message?: string;
  severity?: NotificationSeverity;
  when?: RunState[];
  condition?: string;
  secretParams?: Record<string, unknown>;
  params?: Record<string, unknown>;
  status?: NotificationStatus;
  sentTime?: Date | string;
  reason?: string;
}

/**
 * A notification spec (MLRun's `mlrun.model.Notification`), validated at construction.
 *
 * Defaults: `kind` console (MLRun defaults to slack, which Sluice does not deliver), `name` = the kind (also
 * for MLRun's `name: ""`),
 * `severity` info, `when` `["completed"]`, `status` pending. A webhook needs `url` in `params` or
 * `secretParams`; if `secretParams` has `secret` (a reference to a stored secret) it must be its only key.
 * Unlike MLRun, a console notification needs no params. Secret values never appear in error messages.
 *
 * @example
 * new Notification({ kind: 'webhook', name: 'ops', when: ['completed', 'error'], secretParams: { url: 'https://hooks.example/x' } });
 */
export class Notification extends ModelObj {
  static override readonly fields = fields([
    ['kind', 'kind', T.string],
    ['name', 'name', T.string],
    ['message', 'message', T.string],
    ['severity', 'severity', T.enum(NOTIFICATION_SEVERITIES)],
    ['when', 'when', T.list(T.enum(RUN_STATES))],
    ['condition', 'condition', T.string],
    ['secretParams', 'secret_params', T.map(T.json)],
    ['params', 'params', T.map(T.json)],
    ['status', 'status', T.enum(NOTIFICATION_STATUSES)],
    ['sentTime', 'sent_time', T.date],
    ['reason', 'reason', T.string],
  ]);

  kind: NotificationKind = 'console';
  name!: string;
  message?: string;
  severity: NotificationSeverity = 'info';
  when: RunState[] = ['completed'];
  condition?: string;
  secretParams?: Record<string, unknown>;
  params?: Record<string, unknown>;
  status: NotificationStatus = 'pending';
  sentTime?: Date;
  reason?: string;

  constructor(options: NotificationOptions = {}) {
    super();
    assignFields(this, Notification, options);
    const path = (options as Record<symbol, unknown> | undefined)?.[PATH];
    const where = typeof path === 'string' ? path : 'Notification';
    checkKind(this.kind, `${where}.kind`);
    // MLRun writes `name: ""` for a notification created without one (`name or ""`): the kind names it then
    if (this.name === undefined || this.name === '') this.name = this.kind;
    if (this.name.trim() === '') throw new SpecError(`${where}.name: ${JSON.stringify(this.name)} is empty; expected a name unique within the run`);
    if (this.when.length === 0) throw new SpecError(`${where}.when: [] is empty; expected run states such as ["completed", "error"]`);
    if (this.condition !== undefined) parseNotificationCondition(this.condition, `${where}.condition`);
    this.validateNotificationParams(where);
  }

  /**
   * MLRun's `validate_notification_params`: `secret_params` with `secret` holds nothing else; a webhook has a
   * `url` (an http(s) URL) in `params` or `secret_params`; `secret_params` stays under 900 KiB.
   */
  validateNotificationParams(path = 'Notification'): void {
    const secret = this.secretParams ?? {};
    const params = this.params ?? {};
    const size = Buffer.byteLength(JSON.stringify(secret), 'utf8');
    if (size > MAX_SECRET_PARAMS_BYTES) {
      throw new SpecError(`${path}.secret_params: ${size} bytes serialised; the limit is ${MAX_SECRET_PARAMS_BYTES} bytes (900 KiB)`);
    }
    if ('secret' in secret) {
      const others = Object.keys(secret).filter((k) => k !== 'secret');
      if (others.length > 0) {
        throw new SpecError(
          `${path}.secret_params: has "secret" and also ${others.map((k) => `"${k}"`).join(', ')}; when "secret" is present it must be the only key`,
        );
      }
      return; // the referenced secret holds the params; they are checked when it is resolved
    }
    if (this.kind === 'webhook') {
      const inSecret = 'url' in secret;
      const url = inSecret ? secret.url : params.url;
      const shown = inSecret ? '(value hidden)' : JSON.stringify(url);
      const key = inSecret ? 'secret_params.url' : 'params.url';
      if (url === undefined) {
        throw new SpecError(`${path} "${this.name}": a webhook needs "url" in params or secret_params, e.g. params: { url: "https://hooks.example/run" }`);
      }
      // A stored run keeps secret params masked as '***' (see storedForm); that is a valid placeholder.
      const masked = inSecret && url === '***';
      if (!masked && (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(url))) {
        throw new SpecError(`${path}.${key}: ${shown} is not an http(s) URL`);
      }
      if (params.headers !== undefined && !isPlainObject(params.headers)) {
        throw new SpecError(`${path}.params.headers: ${JSON.stringify(params.headers)} is not a map of header names to values`);
      }
    }
  }

  /**
   * Refuses a list in which two notifications share a name (names key the delivery status on the run).
   * Throws a {@link SpecError} naming the duplicated name(s).
   */
  static validateNotificationUniqueness(notifications: readonly Notification[], path = 'notifications'): void {
    const seen = new Set<string>();
    const dup = new Set<string>();
    for (const n of notifications) {
      if (seen.has(n.name)) dup.add(n.name);
      seen.add(n.name);
    }
    if (dup.size > 0) {
      throw new SpecError(
        `${path}: notification names must be unique, but ${[...dup].map((d) => `"${d}"`).join(', ')} ${dup.size > 1 ? 'are' : 'is'} used more than once; give each notification its own name`,
      );
    }
  }
}

function checkKind(kind: string, path: string): void {
  if ((NOTIFICATION_KINDS as readonly string[]).includes(kind)) return;
  if (UNSUPPORTED_NOTIFICATION_KINDS.includes(kind)) {
    throw new NotSupportedError(
      `${path}: notification kind "${kind}" is not supported by Sluice; supported kinds: ${NOTIFICATION_KINDS.join(', ')} (use a webhook to reach ${kind})`,
    );
  }
  throw new SpecError(`${path}: ${JSON.stringify(kind)} is not a notification kind; supported kinds: ${NOTIFICATION_KINDS.join(', ')}`);
}
