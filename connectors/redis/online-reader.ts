import type { FeatureSet } from '../../src/index.js';
import { OnlineStore } from './online-store.js';
import type { OnlineFeaturesOptions, OnlineRow } from './online-target.js';

export { REDIS_TARGET_KINDS, onlineTarget } from './online-target.js';
export type { OnlineFeaturesOptions, OnlineRow } from './online-target.js';

/**
 * Reads features for a list of entities from a feature set's Redis target, typed exactly as written (`.schema`):
 * a string stays a string, int64 is a number (a bigint past 2^53), timestamps are Dates. A table without Sluice's
 * `.schema` (written by MLRun/storey) is read as storey reads it. An unknown (or expired) entity gets null
 * features. Opens and closes an {@link OnlineStore}: a service that reads per request keeps one open instead.
 *
 * @example
 * const rows = await getOnlineFeatures(fs, [{ user_id: 7 }, { user_id: 8 }], { features: ['score'] });
 * // [{ user_id: 7, score: 0.5 }, { user_id: 8, score: null }]
 */
export async function getOnlineFeatures(featureSet: FeatureSet, entityRows: ReadonlyArray<Record<string, unknown> | unknown>, options: OnlineFeaturesOptions = {}): Promise<OnlineRow[]> {
  const { features, ...where } = options;
  const store = await OnlineStore.open(featureSet, where);
  try {
    return await store.get(entityRows, features ? { features } : {});
  } finally {
    await store.close();
  }
}
