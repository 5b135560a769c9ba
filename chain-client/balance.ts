/**
 * `Balance`: an amount of TAO held as an integer number of rao (1 TAO = 10^9 rao). Amounts never
 * pass through floating point; `tao` renders the exact decimal.
 */
import { ChainClientError } from './errors';

/** rao per TAO. */
export const RAO_PER_TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;

/** An exact, non-negative amount in rao (u64 range). */
export class Balance {
  private constructor(readonly rao: bigint) {}

  /** A balance of `rao` (a non-negative integer within u64). @throws ChainClientError `InvalidStorage` */
  static fromRao(rao: bigint | number | string): Balance {
    let value: bigint;
    try {
      value = typeof rao === 'number' ? (Number.isSafeInteger(rao) ? BigInt(rao) : -1n) : BigInt(rao);
    } catch {
      value = -1n;
    }
    if (value < 0n || value > U64_MAX) throw new ChainClientError('InvalidStorage', `not a rao amount: ${String(rao)}`, { value: String(rao) });
    return new Balance(value);
  }

  /** A balance from a decimal TAO string with at most 9 fractional digits, e.g. `"1.5"`. */
  static fromTao(tao: string): Balance {
    const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(tao.trim());
    if (!match) throw new ChainClientError('InvalidStorage', `not a TAO amount (up to 9 decimals): ${tao}`, { value: tao });
    return Balance.fromRao(BigInt(match[1]!) * RAO_PER_TAO + BigInt((match[2] ?? '').padEnd(9, '0')));
  }

  /** The zero balance. */
  static readonly ZERO = new Balance(0n);

  /** The exact TAO amount as a decimal string with 9 fractional digits, e.g. `"1.500000000"`. */
  get tao(): string {
    return `${this.rao / RAO_PER_TAO}.${(this.rao % RAO_PER_TAO).toString().padStart(9, '0')}`;
  }

  plus(other: Balance): Balance {
    return Balance.fromRao(this.rao + other.rao);
  }

  equals(other: Balance): boolean {
    return this.rao === other.rao;
  }

  /** `τ1.500000000` */
  toString(): string {
    return `τ${this.tao}`;
  }

  /** rao as a decimal string (JSON has no exact u64). */
  toJSON(): string {
    return this.rao.toString();
  }
}
