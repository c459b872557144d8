/**
 * mulberry32: a small seeded generator of numbers in [0, 1), so a random workload (a test's
 * interleaving, a benchmark's ledger) is the same on every run and a failing one can be run again.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
