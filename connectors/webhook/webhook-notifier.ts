import {
  AbortedError,
  SluiceError,
  errorMessage,
  notificationMessage,
  redact,
  redactDeep,
  redactUrl,
  retryDelay,
  sleepFor,
} from '../../src/index.js';
import type { Notification, NotifiableRun, Notifier, NotifyContext } from '../../src/index.js';
import { sendRequest } from './send-request.js';
import type { WebhookResponse } from './send-request.js';
import { parseWebhookOptions } from './webhook-options.js';
import type { WebhookOptions } from './webhook-options.js';

/** The default JSON body of a webhook: the message, its severity and the run dict with secrets redacted. */
export interface WebhookBody {
  message: string;
  severity: string;
  run: NotifiableRun;
}

/** Whether a response status is worth another attempt: 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** How the target is named in reasons and logs: a secret url shows only its scheme and host. */
function targetName(opts: WebhookOptions): string {
  if (!opts.urlIsSecret) return redactUrl(opts.url);
  const u = new URL(opts.url);
  return `${u.protocol}//${u.host}/… (url from secret_params)`;
}

/** A network error's message with its cause (`fetch failed: connect ECONNREFUSED 127.0.0.1:9`). */
function networkMessage(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? errorMessage(err.cause) : undefined;
  return cause === undefined || cause === '' ? errorMessage(err) : `${errorMessage(err)}: ${cause}`;
}

function responseMessage(res: WebhookResponse): string {
  const text = res.text.trim().replace(/\s+/g, ' ');
  return `HTTP ${res.status}${res.statusText === '' ? '' : ` ${res.statusText}`}${text === '' ? '' : `: ${text.slice(0, 300)}`}`;
}

/** One attempt: resolves with the response, or with the message of a network error or a timeout. */
async function attempt(opts: WebhookOptions, body: string, ctx: NotifyContext): Promise<WebhookResponse | string> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = ctx.signal === undefined ? timeout : AbortSignal.any([ctx.signal, timeout]);
  try {
    const headers = { ...opts.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    return await sendRequest({ url: opts.url, method: opts.method, headers, body, verifySsl: opts.verifySsl }, signal, ctx.fetch);
  } catch (err) {
    if (ctx.signal?.aborted) throw new AbortedError('the webhook delivery was aborted', { cause: err });
    if (timeout.aborted) return `no response within ${opts.timeoutMs} ms (params.timeout_ms)`;
    return networkMessage(err);
  }
}

/**
 * Posts the notification to its webhook: `{ message, severity, run }` (the run dict with every secret value
 * replaced by `***`) or `params.override_body`, as JSON. Network errors, timeouts, 429 and 5xx are retried
 * `params.retries` times (default 2) after `backoff_ms * 2^(n-1)` ms (default 200); other statuses fail at once.
 * Rejects with a `SluiceError` whose message names the method, the target (a secret url only by its host), the
 * attempts and the last status, with every secret value redacted; an aborted `ctx.signal` rejects with `AbortedError`.
 */
export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook';

  async notify(run: NotifiableRun, notification: Notification, ctx: NotifyContext = {}): Promise<void> {
    const opts = parseWebhookOptions(notification, ctx.secrets);
    const secrets = [...(ctx.secrets?.values() ?? []), ...opts.secretValues];
    const payload: unknown =
      opts.overrideBody !== undefined
        ? opts.overrideBody
        : ({ message: redact(notificationMessage(notification, run), secrets), severity: notification.severity, run: redactDeep(run, secrets) } satisfies WebhookBody);
    const body = JSON.stringify(payload);
    const sleep = ctx.sleep ?? ((ms: number) => sleepFor(ms, ctx.signal));
    const target = `${opts.method} ${targetName(opts)}`;
    const attempts = opts.retries + 1;
    let last = '';
    for (let n = 1; n <= attempts; n++) {
      if (ctx.signal?.aborted) throw new AbortedError(`webhook ${target}: aborted before attempt ${n}`);
      const outcome = await attempt(opts, body, ctx);
      if (typeof outcome !== 'string' && outcome.status >= 200 && outcome.status < 300) return;
      last = typeof outcome === 'string' ? outcome : responseMessage(outcome);
      if (typeof outcome !== 'string' && !isRetryableStatus(outcome.status)) {
        throw new SluiceError('IO', redact(`webhook ${target}: ${last} (not retried: the endpoint refused the request)`, secrets));
      }
      if (n < attempts) {
        const wait = retryDelay(n, opts.backoffMs);
        ctx.logger?.(redact(`[sluice] webhook ${target}: attempt ${n} of ${attempts} failed (${last}); retrying in ${wait} ms`, secrets));
        await sleep(wait).catch((err: unknown) => {
          if (!ctx.signal?.aborted) throw err;
          throw new AbortedError(redact(`webhook ${target}: aborted while waiting to retry (attempt ${n} of ${attempts}: ${last})`, secrets), { cause: err });
        });
      }
    }
    throw new SluiceError('IO', redact(`webhook ${target}: failed after ${attempts} attempt(s); last: ${last}`, secrets), { retryable: true });
  }
}

/** Creates the webhook notifier (stateless; one serves every notification). */
export function createNotifier(): Notifier {
  return new WebhookNotifier();
}
