import { NotFoundError } from '../../src/index.js';
import type { FeatureSet } from '../../src/index.js';
import { hashFields, wholeHashes, anyExists } from './hash-reads.js';
import { entityString, hashKey, schemaKey } from './key-layout.js';
import { keyValueString } from './key-strings.js';
import { keyValues } from './online-target.js';
import type { OnlineRow } from './online-target.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisTargetSettings } from './redis-settings.js';
import { decodeStoreyValue } from './storey-decoding.js';
import { storeyEntityColumn, storeyFeatureNames } from './storey-table.js';
import type { StoredColumn } from './table-schema.js';
import { entityValue } from './value-decoding.js';

/**
 * Reads a table that has no Sluice `.schema` (written by MLRun/storey): keys from the entity values (types as
 * declared in the feature set, else as given), values decoded as storey decodes them, internal `\x01` fields and
 * the entity columns MLRun stores in the hash left out. Without `features` and without declared `spec.features`,
 * the features are the fields the requested entities hold. When none of the requested entities exists either, the
 * table is taken to be missing (a NotFoundError), not silently empty.
 */
export async function readStoreyTable(conn: RedisConnection, s: RedisTargetSettings, featureSet: FeatureSet, entityRows: ReadonlyArray<unknown>, wanted: string[] | undefined): Promise<OnlineRow[]> {
  const names = featureSet.entityNames;
  const declared = new Map(featureSet.spec.entities.map((e) => [e.name, e.valueType]));
  const requested = entityRows.map((row, i) => keyValues(row, names.map((name) => ({ name, type: 'string' as const })), i));
  const cols = requested.map((vals) => vals.map((v, j) => storeyEntityColumn(names[j] as string, declared.get(names[j] as string), v)));
  const keys = requested.map((vals, i) => hashKey(s.keyPrefix, s.table, entityString(vals.map((v, j) => keyValueString(v, (cols[i] as StoredColumn[])[j] as StoredColumn)))));
  let features: string[];
  let values: Array<Array<string | null>>;
  if (wanted !== undefined || (featureSet.spec.features ?? []).length > 0) {
    features = wanted ?? storeyFeatureNames(featureSet, []);
    values = await hashFields(conn, keys, features, s.table);
  } else {
    const all = await wholeHashes(conn, keys, s.table);
    features = storeyFeatureNames(featureSet, [...new Set(all.flatMap((h) => Object.keys(h)))]);
    values = all.map((h) => features.map((f) => h[f] ?? null));
  }
  if (keys.length > 0 && values.every((r) => r.every((v) => v === null)) && !(await anyExists(conn, keys))) {
    throw new NotFoundError(
      `feature set "${featureSet.name}": no table schema at ${JSON.stringify(schemaKey(s.keyPrefix, s.table))} on ${s.endpoint.display}, and none of the ${keys.length} requested entities has a hash (e.g. ${JSON.stringify(keys[0])}); ingest the feature set into this Redis first, or check the target path and key_prefix`,
    );
  }
  return requested.map((vals, i) => {
    const out: OnlineRow = {};
    names.forEach((n, j) => (out[n] = entityValue(vals[j], (cols[i] as StoredColumn[])[j] as StoredColumn)));
    features.forEach((f, j) => (out[f] = decodeStoreyValue(values[i]?.[j] ?? null)));
    return out;
  });
}
