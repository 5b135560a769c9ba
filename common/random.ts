/**
 * mulberry32: a tiny, fast, seedable 32-bit PRNG in [0, 1) (public domain, Tommy Ettinger), for
 * deterministic model weights and test scenarios; not for anything cryptographic.
 */

// Read once: a global lookup per draw costs ~100x the draw itself inside a vm context (jest's test realm).
const { imul } = Math;

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
