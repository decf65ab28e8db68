/**
 * Seeded randomness for simulated hosts: each frame attempt draws from its own generator seeded
 * by (seed, frame, attempt), so a simulated farm gives the same outcome per frame whichever
 * host runs it and in whatever order.
 */

/** mulberry32: small, fast, and good enough for load tests. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFor(...parts: number[]): number {
  let hash = 2166136261;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part & 0xffff), 16777619);
    hash = Math.imul(hash ^ (part >>> 16), 16777619);
  }
  return hash >>> 0;
}

/** A normal draw (Box–Muller) with this mean and standard deviation, clamped at `min`. */
export function normal(random: () => number, mean: number, spread: number, min: number): number {
  const u = 1 - random();
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(min, mean + z * spread);
}
