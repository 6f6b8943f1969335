import type { Notification } from '../../model/notification.js';
import type { RunDict } from '../db/run-db.js';

/** The run a notifier reports on: a plain run dict `{ metadata, spec, status }` in MLRun's wire shape. */
export type NotifiableRun = RunDict;

/** The secrets a notifier may read: a `SecretsStore` fits. Every value is also hidden from reasons and logs. */
export interface NotifySecrets {
  get(key: string): string | undefined;
  values(): Iterable<string>;
}

/** What a notifier may use besides the run and the notification; every member is optional and injectable. */
export interface NotifyContext {
  /** Resolves `secret_params.secret` references; its values are redacted from every reason and log line. */
  secrets?: NotifySecrets;
  /** Cancels deliveries in flight and the waits between retries. */
  signal?: AbortSignal;
  /** HTTP client for notifiers that post (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Receives log lines (default: standard output for the console notifier, nothing otherwise). */
  logger?: (line: string) => void;
  /** The time recorded as `sent_time` (default: the system clock). */
  clock?: () => Date;
  /** Waits between retries (default: a timer that the signal cancels). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Delivers one notification kind. `notify` resolves when the message was delivered and rejects, with a message
 * that holds no secret value, when it was not; the caller records the outcome on the run.
 */
export interface Notifier {
  readonly kind: string;
  notify(run: NotifiableRun, notification: Notification, ctx: NotifyContext): Promise<void>;
}

/** The shape of a connector module that delivers notifications, e.g. `connectors/webhook`. */
export interface NotifierConnector {
  readonly kind: string;
  createNotifier(): Notifier;
}

/** Notifiers by kind, as `pushNotifications` takes them. */
export type NotifierMap = ReadonlyMap<string, Notifier>;
