import type { SparseU16Row } from './types';

/**
 * A sparse matrix of u16 values in CSR form: row i holds the pairs
 * `(dest[k], value[k])` for k in `rowPtr[i] .. rowPtr[i+1]`. Three typed arrays instead of one
 * small array per entry, so a 4096×4096 bond matrix costs ~4 bytes per non-zero, not ~50.
 */
export class SparseU16Matrix {
  constructor(
    readonly rowPtr: Uint32Array,
    readonly dest: Uint16Array,
    readonly value: Uint16Array,
  ) {}

  /** Number of rows. */
  get rowCount(): number {
    return this.rowPtr.length - 1;
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.rowPtr[this.rowPtr.length - 1]!;
  }

  /** Row i as `[dest, value]` pairs (a fresh array). */
  row(i: number): SparseU16Row {
    const out: (readonly [number, number])[] = [];
    for (let k = this.rowPtr[i]!; k < this.rowPtr[i + 1]!; k++) out.push([this.dest[k]!, this.value[k]!]);
    return out;
  }

  /** Every row as `[dest, value]` pairs. */
  toRows(): SparseU16Row[] {
    return Array.from({ length: this.rowCount }, (_, i) => this.row(i));
  }

  static fromRows(rows: readonly SparseU16Row[]): SparseU16Matrix {
    const rowPtr = new Uint32Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) rowPtr[i + 1] = rowPtr[i]! + rows[i]!.length;
    const dest = new Uint16Array(rowPtr[rows.length]!);
    const value = new Uint16Array(rowPtr[rows.length]!);
    rows.forEach((row, i) => {
      let k = rowPtr[i]!;
      for (const [d, v] of row) {
        dest[k] = d;
        value[k++] = v;
      }
    });
    return new SparseU16Matrix(rowPtr, dest, value);
  }
}
