/**
 * mulberry32: a small, fast, seedable PRNG with 32 bits of state. Returns numbers in [0, 1).
 * Not for cryptography; used so that a seeded random sweep is reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = Math.trunc(seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
