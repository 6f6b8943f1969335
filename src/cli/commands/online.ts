import type { Command } from 'commander';
import { BadInputError, SpecError } from '../../errors.js';
import type { FeatureSet } from '../../model/feature-set.js';
import { SecretsStore, parseSecretSpec } from '../../run/secrets.js';
import { loadConnector } from '../../../connectors/registry.js';
import { printJson, printTable } from '../output.js';
import { loadFeatureSetFile } from './ingest.js';

/** What `sluice online get` needs from the Redis connector (connectors/redis exports it as `connector`). */
export interface OnlineReader {
  getOnlineFeatures(
    featureSet: FeatureSet,
    entityRows: unknown[],
    options?: { features?: string[]; redisUrl?: string; secrets?: { get(key: string): string | undefined }; target?: string },
  ): Promise<Array<Record<string, unknown>>>;
}

/** How the command finds the reader; tests may pass the connector module directly. */
export interface RegisterOnlineOptions {
  loadReader?: () => Promise<OnlineReader>;
}

interface OnlineGetOptions {
  json?: boolean;
  features?: string;
  redisUrl?: string;
  target?: string;
  secrets?: string[];
}

/**
 * The entity value(s) of one command-line key. One entity column: the text as it is. Several: a JSON array or
 * object (`'["u1", 7]'`, `'{"a": "u1", "b": 7}'`), or `k1.k2` when splitting at `.` gives exactly one part per column.
 */
export function parseCliKey(text: string, entities: string[]): unknown {
  if (entities.length === 1) return text;
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      throw new BadInputError(`key ${JSON.stringify(text)} is not valid JSON; give the entity (${entities.join(', ')}) as '["v1", "v2"]' or '{"${entities[0]}": ...}'`);
    }
  }
  const parts = text.split('.');
  if (parts.length !== entities.length) {
    throw new BadInputError(`key ${JSON.stringify(text)} has ${parts.length} dot-separated part(s); the entity has ${entities.length} columns (${entities.join(', ')}). Use k1.k2 or a JSON array such as '["a.b", "c"]'`);
  }
  return parts;
}

/** A value as a table cell or JSON value: Dates as ISO-8601, bigints as strings, null as null. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

/** The secrets for Redis: `--secrets` sources, then the environment (REDIS_USER, REDIS_PASSWORD). */
function secretsOf(specs: string[] | undefined): { get(key: string): string | undefined } {
  const store = new SecretsStore();
  for (const s of specs ?? []) {
    const { kind, source } = parseSecretSpec(s);
    store.addSource(kind, source);
  }
  return { get: (k) => store.get(k) ?? process.env[k] };
}

/**
 * `sluice online get <featureset.yaml> <key>...`: reads entities from the feature set's Redis target.
 * Register with `registerOnline(program)`.
 */
export function registerOnline(program: Command, o: RegisterOnlineOptions = {}): void {
  const loadReader =
    o.loadReader ??
    (async () => {
      const m = (await loadConnector('redisnosql')) as unknown as Partial<OnlineReader>;
      if (typeof m.getOnlineFeatures !== 'function') throw new SpecError('the redisnosql connector has no online reader (getOnlineFeatures)');
      return m as OnlineReader;
    });
  const online = program.command('online').description('the online store (Redis): read features by entity key');
  online
    .command('get <featureset> <keys...>')
    .description('print the features of entity keys from the feature set’s Redis target (k1.k2 or a JSON array for multi-column entities)')
    .option('--features <names>', 'comma-separated features to read (default: all)')
    .option('--redis-url <url>', 'read from this Redis instead of the target’s path (credentials only from secrets)')
    .option('--target <name>', 'the Redis target’s name when the feature set has several')
    .option('--secrets <spec...>', 'secret sources for REDIS_USER / REDIS_PASSWORD, e.g. env=REDIS_PASSWORD or file=secrets.env (the environment is used too)')
    .option('--json', 'print a JSON array, one object per key (null features where the entity is unknown)')
    .action(async (file: string, keys: string[], opts: OnlineGetOptions) => {
      const fs = await loadFeatureSetFile(file);
      const entities = fs.entityNames;
      if (keys.length === 0) throw new SpecError('online get: give at least one entity key');
      const rows = keys.map((k) => parseCliKey(k, entities));
      const reader = await loadReader();
      const features = opts.features?.split(',').map((f) => f.trim()).filter((f) => f !== '');
      const out = await reader.getOnlineFeatures(fs, rows, {
        ...(features ? { features } : {}),
        ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
        ...(opts.target ? { target: opts.target } : {}),
        secrets: secretsOf(opts.secrets),
      });
      const plainRows = out.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
      if (opts.json) return printJson(plainRows);
      const headers = Object.keys(plainRows[0] ?? {});
      printTable(headers, plainRows.map((r) => headers.map((h) => (r[h] === null || r[h] === undefined ? undefined : typeof r[h] === 'object' ? JSON.stringify(r[h]) : String(r[h])))));
    });
}
