import type { Notification } from '../../model/notification.js';
import { redact } from '../../util/redact.js';
import { notificationMessage, runError, runLabel, runState } from './notification-message.js';
import type { NotifiableRun, Notifier, NotifyContext } from './notifier.js';
import { notificationSecretValues } from './resolve-params.js';

/** Keeps a log line on one line: newlines become a visible `\n`. */
function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, '\\n');
}

/**
 * The console line for a run: `[sluice] [<severity>] run <name> (<uid>) <state>: <message>`, followed by
 * `; error: <error>` when the run is in `error` or `aborted` and has an error text. One line; secrets redacted.
 */
export function consoleLine(run: NotifiableRun, notification: Notification, secrets: Iterable<string> = []): string {
  const state = runState(run);
  const error = state === 'error' || state === 'aborted' ? runError(run) : undefined;
  const line = `[sluice] [${notification.severity}] run ${runLabel(run)} ${state}: ${notificationMessage(notification, run)}${error === undefined ? '' : `; error: ${error}`}`;
  return oneLine(redact(line, secrets));
}

/**
 * The `console` notifier: writes {@link consoleLine} to `ctx.logger`, or to standard output when no logger is given.
 *
 * @example
 * await consoleNotifier().notify(run, new Notification({ kind: 'console' }), { logger: console.log });
 */
export function consoleNotifier(): Notifier {
  return {
    kind: 'console',
    notify(run: NotifiableRun, notification: Notification, ctx: NotifyContext): Promise<void> {
      const line = consoleLine(run, notification, notificationSecretValues(notification, ctx.secrets));
      if (ctx.logger) ctx.logger(line);
      else process.stdout.write(`${line}\n`);
      return Promise.resolve();
    },
  };
}
