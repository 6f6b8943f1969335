import { BadInputError, DataTargetBase, SpecError } from '../../src/index.js';
import type { FeatureSet } from '../../src/index.js';
import type { SecretLookup } from './redis-connection.js';
import type { StoredColumn } from './table-schema.js';

/** The target kinds that are the Redis online store (`redis` is an alias). */
export const REDIS_TARGET_KINDS = ['redisnosql', 'redis'] as const;

export interface OnlineFeaturesOptions {
  /** Only these features (default: every feature in the table's `.schema`). */
  features?: string[];
  /** Read from this Redis URL instead of the target's path. */
  redisUrl?: string;
  /** Where `REDIS_USER` / `REDIS_PASSWORD` come from. */
  secrets?: SecretLookup;
  /** The Redis target's name, when the feature set has more than one. */
  target?: string;
}

/** One result row: the entity fields, then every requested feature (null where unknown or never written). */
export type OnlineRow = Record<string, unknown>;

/** The feature set's Redis target (by name, else the first of kind `redisnosql`/`redis`). */
export function onlineTarget(featureSet: FeatureSet, o: { target?: string; redisUrl?: string } = {}): DataTargetBase {
  const kinds = REDIS_TARGET_KINDS as readonly string[];
  const candidates = featureSet.spec.targets.filter((t) => kinds.includes(t.kind ?? '') && (o.target === undefined || t.name === o.target));
  const found = candidates[0];
  if (found) return o.redisUrl ? new DataTargetBase({ ...found.toDict(), path: o.redisUrl } as never) : found;
  if (o.redisUrl) return new DataTargetBase({ kind: 'redisnosql', name: 'redisnosql', path: o.redisUrl });
  const what = o.target ? `no Redis target named "${o.target}"` : 'no target of kind redisnosql (or redis)';
  throw new SpecError(`feature set "${featureSet.name}" has ${what}; targets: ${featureSet.spec.targets.map((t) => `${t.name} (${t.kind})`).join(', ') || 'none'}`);
}

/** The entity values of one requested row, in key order: a record by entity name, an array, or a bare value. */
export function keyValues(row: unknown, entities: StoredColumn[], i: number): unknown[] {
  const names = entities.map((e) => e.name);
  if (Array.isArray(row)) {
    if (row.length !== entities.length) throw new BadInputError(`entity row ${i + 1}: ${JSON.stringify(row)} has ${row.length} values; the entity is (${names.join(', ')})`);
    return row;
  }
  if (row !== null && typeof row === 'object' && !(row instanceof Date)) {
    const rec = row as Record<string, unknown>;
    const missing = names.filter((n) => rec[n] === undefined || rec[n] === null);
    if (missing.length > 0) throw new BadInputError(`entity row ${i + 1}: ${missing.join(', ')} missing; the entity is (${names.join(', ')})`);
    return names.map((n) => rec[n]);
  }
  if (entities.length !== 1) throw new BadInputError(`entity row ${i + 1}: ${JSON.stringify(row)} is a single value, but the entity has ${entities.length} columns (${names.join(', ')}); pass an object or an array`);
  return [row];
}
