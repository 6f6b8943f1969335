import { hash } from 'node:crypto';

/** Largest N for which reducing the digest 20 bits at a time stays exact in doubles: N * 2^20 < 2^53. */
const FAST_MOD_LIMIT = 2 ** 33;

/**
 * The key bucket MLRun/storey give a key: `int(sha1(str(key).encode()).hexdigest(), 16) % n`, i.e. the SHA-1
 * digest of the key's UTF-8 bytes read as a big-endian integer, modulo `n`. The 40-digit hex digest is reduced
 * five hex digits at a time (Horner's rule; exact for n < 2^33), falling back to BigInt above that. `n` must be
 * a positive integer.
 */
export function keyBucket(keyString: string, n: number): number {
  const hex = hash('sha1', keyString, 'hex');
  if (n < FAST_MOD_LIMIT) {
    let r = 0;
    for (let i = 0; i < 40; i += 5) r = (r * 0x100000 + parseInt(hex.slice(i, i + 5), 16)) % n;
    return r;
  }
  return Number(BigInt(`0x${hex}`) % BigInt(n));
}

/**
 * Memoizes {@link keyBucket} for one bucket count, holding at most `maxEntries` keys (the map is emptied when
 * full, so memory stays bounded whatever the key cardinality).
 */
export class KeyBucketCache {
  private readonly cache = new Map<string, number>();

  constructor(
    readonly buckets: number,
    private readonly maxEntries = 1_000_000,
  ) {}

  /** The bucket of `keyString`. */
  get(keyString: string): number {
    let b = this.cache.get(keyString);
    if (b === undefined) {
      b = keyBucket(keyString, this.buckets);
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(keyString, b);
    }
    return b;
  }

  /** How many keys are memoized. */
  get size(): number {
    return this.cache.size;
  }
}
