import { describe, expect, it } from 'vitest';
import { KeyBucketCache, keyBucket } from '../../../src/partition/key-bucket.js';

// Every expected number below was computed with Python 3, exactly as MLRun/storey do it:
//   python3 -c "import hashlib; print(int(hashlib.sha1(str(KEY).encode()).hexdigest(), 16) % N)"
// for N in (16, 4, 256, 7, 1000003, 2**50). They are hard-coded, not recomputed here.
const PYTHON_BUCKETS: Array<[string, number[]]> = [
  ['AAPL', [1, 1, 129, 0, 330686, 38233768381313]],
  ['MSFT', [3, 3, 115, 6, 557539, 392443151937651]],
  ['GOOG', [6, 2, 22, 2, 31442, 677264080977942]],
  ['12345', [4, 0, 100, 5, 474506, 467718806518116]], // str(12345)
  ['Zürich', [10, 2, 90, 4, 539454, 270818865165658]],
  ['東京', [15, 3, 159, 6, 263470, 694684312709791]],
  ['US.42', [10, 2, 202, 5, 574863, 980139598450378]], // ".".join(map(str, ["US", 42]))
  ['1.5', [11, 3, 251, 2, 408856, 541561743186427]], // str(1.5)
  ['True', [2, 2, 18, 3, 864336, 547146905658898]], // str(True)
  ['-7', [1, 1, 129, 1, 272441, 81455696459137]],
  ['', [9, 1, 9, 3, 294091, 27009704527625]],
];
const NS = [16, 4, 256, 7, 1_000_003, 2 ** 50];

describe('keyBucket', () => {
  it.each(PYTHON_BUCKETS)('gives MLRun/storey bucket numbers for %j', (key, expected) => {
    expect(NS.map((n) => keyBucket(key, n))).toEqual(expected);
  });

  it('matches Python over 1000 keys (weighted sums computed with python3)', () => {
    // python3: sum(b('user-%d' % i, 16) * (i + 1) for i in range(1000)) == 3872638, same with N=1000003 == 250605432882,
    // and sum(b(i, 97) * (i + 1) for i in range(1000)) == 23457920 (integer keys, str(i)).
    let s16 = 0;
    let sBig = 0;
    let sInt = 0;
    for (let i = 0; i < 1000; i++) {
      s16 += keyBucket(`user-${i}`, 16) * (i + 1);
      sBig += keyBucket(`user-${i}`, 1_000_003) * (i + 1);
      sInt += keyBucket(String(i), 97) * (i + 1);
    }
    expect([s16, sBig, sInt]).toEqual([3872638, 250605432882, 23457920]);
  });

  it('memoizes per key and stays bounded', () => {
    const cache = new KeyBucketCache(16, 3);
    expect(cache.get('AAPL')).toBe(1);
    expect(cache.get('MSFT')).toBe(3);
    expect(cache.get('GOOG')).toBe(6);
    expect(cache.size).toBe(3);
    expect(cache.get('AAPL')).toBe(1);
    expect(cache.size).toBe(3);
    expect(cache.get('東京')).toBe(15);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});
