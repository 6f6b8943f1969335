import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { SpecError, errorMessage } from '../../errors.js';
import { FeatureSet } from '../../model/feature-set.js';
import { DataSource } from '../../model/data-source.js';
import { fireSchedule } from '../../schedule/fire-schedule.js';
import { newHolderId } from '../../schedule/scheduler.js';
import type { UiOptions } from '../../ui/ui-options.js';
import { startUi } from '../../ui/start-ui.js';
import { builtinConnectors, builtinNotifiers, fileSystemFor, loadConnector } from '../../../connectors/registry.js';
import { openDbFor } from '../db-option.js';
import { parseCliKey, type OnlineReader } from './online.js';

/** The connector-backed parts of the dashboard, wired by name here (src/ui imports no connector). */
export async function uiConnectors(db: UiOptions['db']): Promise<Pick<UiOptions, 'onlineLookup' | 'runSchedule' | 'fileSystemFor' | 'previewParquet'>> {
  const holder = newHolderId();
  const connectors = builtinConnectors();
  const notifiers = await builtinNotifiers();
  return {
    fileSystemFor: (path) => fileSystemFor(path),
    previewParquet: async (path, rows) => {
      const m = await loadConnector('parquet');
      if (!m.createSource) throw new SpecError('the parquet connector has no source');
      const src = m.createSource(new DataSource({ kind: 'parquet', path }), {});
      for await (const batch of src.read({ batchSize: rows })) return batch.toArray().slice(0, rows).map((r) => jsonRow(r as Record<string, unknown>));
      return [];
    },
    onlineLookup: async (dict, key, target) => {
      const m = (await loadConnector('redisnosql')) as unknown as Partial<OnlineReader>;
      if (typeof m.getOnlineFeatures !== 'function') throw new SpecError('the redisnosql connector has no online reader (getOnlineFeatures)');
      const fs = FeatureSet.fromDict(dict);
      const rows = await m.getOnlineFeatures(fs, [parseCliKey(key, fs.entityNames)], { ...(target ? { target } : {}), secrets: { get: (k) => process.env[k] } });
      return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v])));
    },
    runSchedule: async (dict) => {
      try {
        const x = await fireSchedule(dict, { db, connectors, notifiers, clock: () => new Date(), holder }, { force: true });
        return { status: x.status, ...(x.runUid ? { runUid: x.runUid } : {}), ...(x.error ? { error: x.error } : {}) };
      } catch (err) {
        return { status: 'error', error: errorMessage(err) };
      }
    },
  };
}

/** An Arrow row as JSON-safe values (times as ISO strings, 64-bit integers as strings when past 2^53). */
function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row.toJSON ? (row as { toJSON(): Record<string, unknown> }).toJSON() : row)) {
    out[k] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v;
  }
  return out;
}

/** The warning printed when `host` is not a loopback address, or undefined. */
export function exposureWarning(host: string, hasToken: boolean): string | undefined {
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  return `sluice ui: warning: listening on ${host} exposes runs, logs and feature sets to the network${hasToken ? '' : ' without a token (set --auth-token)'}\n`;
}

function portArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${v}" is not a TCP port (0-65535)`);
  return n;
}

/** `sluice ui [--port 8520] [--host 127.0.0.1] [--auth-token <t>]`. */
export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('serve the dashboard (runs, feature sets, schedules, online look-ups) and its JSON API under /api/')
    .option('--port <port>', 'TCP port (0: any free port)', portArg, 8520)
    .option('--host <host>', 'address to bind; anything but loopback exposes the run db', '127.0.0.1')
    .option('--auth-token <token>', 'require this token on every page and API call (default: $SLUICE_UI_TOKEN)')
    .action(async (o: { port: number; host: string; authToken?: string }, cmd: Command) => {
      const db = await openDbFor(cmd);
      const authToken = o.authToken ?? process.env.SLUICE_UI_TOKEN;
      const warning = exposureWarning(o.host, authToken !== undefined);
      if (warning) process.stderr.write(warning);
      const ui = await startUi({ db, host: o.host, port: o.port, ...(authToken ? { authToken } : {}), ...(await uiConnectors(db)) });
      process.stdout.write(`sluice ui: ${ui.url}/\n`);
      const stop = (): void => {
        // Exit once closed: an idle keep-alive connection or a pooled Redis client must not keep a stopped UI alive.
        void ui.close().finally(() => db.close().finally(() => process.exit()));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
