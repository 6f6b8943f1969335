import { consoleNotifier } from './console-notifier.js';
import type { Notifier } from './notifier.js';

/**
 * The notifiers by kind: the built-in `console` one, plus any the caller injects (a later one replaces an earlier
 * one of the same kind). The core never imports connectors, so the webhook notifier comes from the caller:
 *
 * @example
 * const webhook = await import('../connectors/webhook/index.js');
 * const notifiers = defaultNotifiers([webhook.createNotifier()]);
 */
export function defaultNotifiers(extra: Iterable<Notifier> = []): Map<string, Notifier> {
  const map = new Map<string, Notifier>();
  for (const n of [consoleNotifier(), ...extra]) map.set(n.kind, n);
  return map;
}
