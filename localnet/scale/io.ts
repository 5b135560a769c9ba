/** Byte buffers for the compiled codecs: a growable writer, a bounds-checked reader, compact integers. */
import { ScaleError } from './errors';

const MAX_RETAINED = 1 << 20;

/** A growable output buffer. `finish()` copies out the bytes written since `reset()`. */
export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(capacity = 4096) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.pos = 0;
    if (this.buf.length > MAX_RETAINED) {
      this.buf = new Uint8Array(4096);
      this.view = new DataView(this.buf.buffer);
    }
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    const b = this.buf;
    b[this.pos] = v & 0xff;
    b[this.pos + 1] = v >>> 8;
    this.pos += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  /** `v` must be in [0, 2^64). */
  u64(v: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }

  /** Little-endian `v` in `byteLength` bytes; `v` must be in [0, 2^(8·byteLength)), byteLength a multiple of 8. */
  bigUint(v: bigint, byteLength: number): void {
    this.reserve(byteLength);
    for (let off = 0; off < byteLength; off += 8) {
      this.view.setBigUint64(this.pos + off, BigInt.asUintN(64, v), true);
      v >>= 64n;
    }
    this.pos += byteLength;
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** SCALE compact encoding of a non-negative integer (validated by the caller). */
  compact(v: number | bigint): void {
    if (typeof v === 'number' && v < 0x40000000) {
      if (v < 0x40) this.u8(v << 2);
      else if (v < 0x4000) this.u16((v << 2) | 1);
      else this.u32(((v << 2) | 2) >>> 0);
      return;
    }
    let big = BigInt(v);
    if (big < 0x40000000n) {
      this.compact(Number(big));
      return;
    }
    let n = 0;
    for (let t = big; t > 0n; t >>= 8n) n++;
    this.reserve(n + 1);
    this.buf[this.pos++] = ((n - 4) << 2) | 3;
    for (let i = 0; i < n; i++) {
      this.buf[this.pos++] = Number(big & 0xffn);
      big >>= 8n;
    }
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** A cursor over input bytes; every read is bounds-checked. */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  private dv: DataView | undefined;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  get view(): DataView {
    return (this.dv ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throw unless `n` more bytes are available. */
  need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new ScaleError('Decode', `unexpected end of input: need ${n} byte(s) at offset ${this.pos}, have ${this.bytes.length - this.pos}`, {
        path: [],
      });
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const b = this.bytes;
    const v = b[this.pos]! | (b[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Little-endian unsigned integer of `byteLength` bytes (a multiple of 8). */
  bigUint(byteLength: number): bigint {
    this.need(byteLength);
    let v = 0n;
    for (let off = byteLength - 8; off >= 0; off -= 8) v = (v << 64n) | this.view.getBigUint64(this.pos + off, true);
    this.pos += byteLength;
    return v;
  }

  /** A view (not a copy) of the next `n` bytes. */
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * A compact integer: a number when below 2^30 (single-, two- and four-byte modes), a bigint in
   * big-integer mode. Rejects non-canonical encodings, as parity-scale-codec does.
   */
  compact(): number | bigint {
    const b0 = this.u8();
    switch (b0 & 3) {
      case 0:
        return b0 >>> 2;
      case 1: {
        this.pos--;
        const v = this.u16() >>> 2;
        if (v < 0x40) throw nonCanonical(this.pos - 2);
        return v;
      }
      case 2: {
        this.pos--;
        const v = this.u32() >>> 2;
        if (v < 0x4000) throw nonCanonical(this.pos - 4);
        return v;
      }
      default: {
        const n = (b0 >>> 2) + 4;
        const start = this.pos - 1;
        const raw = this.take(n);
        if (raw[n - 1] === 0) throw nonCanonical(start);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]!);
        if (v < 0x40000000n) throw nonCanonical(start);
        return v;
      }
    }
  }

  /** A compact integer used as a length: a number, at most `max`. */
  compactLength(max: number): number {
    const v = this.compact();
    if (typeof v !== 'number' || v > max) {
      throw new ScaleError('Decode', `length ${String(v)} exceeds the ${max} byte(s) left in the input`, { path: [] });
    }
    return v;
  }
}

function nonCanonical(offset: number): ScaleError {
  return new ScaleError('Decode', `non-canonical compact encoding at offset ${offset}`, { path: [] });
}
