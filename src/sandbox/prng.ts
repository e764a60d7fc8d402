/**
 * A tiny seeded pseudo-random generator, so seed data and benchmark fixtures are the same on
 * every run and every machine (Math.random is neither seedable nor reproducible).
 */

/** Returns floats in [0, 1), like Math.random, from a 32-bit state. */
export type Prng = () => number;

/**
 * mulberry32: small, fast and good enough for fixtures (not for secrets).
 * @example const rand = mulberry32(42); rand(); // 0.6011037519201636, every time
 */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One element of a non-empty list.
 * @example pick(mulberry32(7), ['a', 'b', 'c'])
 */
export function pick<T>(rand: Prng, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/**
 * Turns a string into a 32-bit seed (FNV-1a), so callers can seed by name.
 * @example seedFromString('All-hands Q3')
 */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
