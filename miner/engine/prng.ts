export { mulberry32 } from '../../common/random';

/** `count` floats drawn uniformly from [-bound, bound). */
export function uniformFloats(next: () => number, count: number, bound: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (next() * 2 - 1) * bound;
  return out;
}
