/**
 * Reusable scratch buffers for the epoch's O(nnz) intermediates.
 *
 * Allocating ~80 MB of fresh typed arrays per large epoch counts as external memory pressure in V8
 * and forces a full mark-compact of the whole heap each time (≈100 ms with a large weight matrix in
 * memory). Reusing buffers across epochs removes that; they grow to the largest epoch seen and stay
 * proportional to its number of non-zero entries.
 */
export class Workspace {
  private readonly f64 = new Map<string, Float64Array>();
  private readonly i32 = new Map<string, Int32Array>();

  /** A Float64Array view of `size` elements for `slot`; contents are unspecified (callers write before reading). */
  float64(slot: string, size: number): Float64Array {
    let buf = this.f64.get(slot);
    if (!buf || buf.length < size) {
      buf = new Float64Array(grow(size));
      this.f64.set(slot, buf);
    }
    return buf.subarray(0, size);
  }

  /** An Int32Array view of `size` elements for `slot`; contents are unspecified. */
  int32(slot: string, size: number): Int32Array {
    let buf = this.i32.get(slot);
    if (!buf || buf.length < size) {
      buf = new Int32Array(grow(size));
      this.i32.set(slot, buf);
    }
    return buf.subarray(0, size);
  }

  /** Drop every buffer (memory returns to the allocator at the next GC). */
  release(): void {
    this.f64.clear();
    this.i32.clear();
  }
}

function grow(size: number): number {
  return Math.max(16, Math.ceil(size * 1.25));
}
