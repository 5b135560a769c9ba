/**
 * pallet_balances (u64 balances, accounts stored in `System.Account`, existential deposit 500 rao,
 * no holds, freezes or reserves). Helpers here are also how other pallets move TAO.
 */
import type { RuntimeContext } from '../context';
import { DispatchError } from '../errors';
import { runtimeItems } from '../items';
import type { AccountId } from '../primitives';
import type { CallTable } from '../dispatch';
import { ensureRoot, ensureSigned, getAccount, putAccount } from './system';

export const EXISTENTIAL_DEPOSIT = 500n;
const U64_MAX = (1n << 64n) - 1n;

const tokenError = (name: string, detail: string): DispatchError => new DispatchError({ Token: name }, `Token.${name}`, detail);

/** `MultiAddress` → account id; only `Id` and `Address32` name an account here. */
export function lookupAddress(address: unknown): AccountId {
  const a = address as Record<string, unknown> | null;
  const id = a?.Id ?? a?.Address32;
  if (typeof id !== 'string') throw new DispatchError({ CannotLookup: null }, 'CannotLookup', 'only MultiAddress::Id and ::Address32 are supported');
  return id as AccountId;
}

export function freeBalance(ctx: RuntimeContext, who: AccountId): bigint {
  return getAccount(ctx, who).data.free;
}

function adjustIssuance(ctx: RuntimeContext, delta: bigint): void {
  const { TotalIssuance } = runtimeItems().Balances;
  const next = TotalIssuance.get(ctx.state) + delta;
  TotalIssuance.set(ctx.state, next < 0n ? 0n : next > U64_MAX ? U64_MAX : next);
}

/**
 * Sets `who`'s free balance, creating the account (NewAccount, Endowed) when it reaches the
 * existential deposit and reaping it (KilledAccount, DustLost; the dust leaves issuance) when it
 * falls below. Returns false when a would-be new account stays below the deposit (nothing is written).
 */
function setFree(ctx: RuntimeContext, who: AccountId, free: bigint): boolean {
  const info = getAccount(ctx, who);
  const exists = info.providers > 0;
  if (!exists) {
    if (free < EXISTENTIAL_DEPOSIT) return false;
    putAccount(ctx, who, { ...info, providers: 1, data: { ...info.data, free } });
    ctx.deposit({ System: { NewAccount: { account: who } } });
    ctx.deposit({ Balances: { Endowed: { account: who, free_balance: free } } });
    return true;
  }
  if (free < EXISTENTIAL_DEPOSIT && info.data.reserved === 0n) {
    putAccount(ctx, who, { ...info, providers: info.providers - 1, nonce: 0, data: { ...info.data, free: 0n } });
    ctx.deposit({ System: { KilledAccount: { account: who } } });
    if (free > 0n) {
      ctx.deposit({ Balances: { DustLost: { account: who, amount: free } } });
      adjustIssuance(ctx, -free);
    }
    return true;
  }
  putAccount(ctx, who, { ...info, data: { ...info.data, free } });
  return true;
}

export interface TransferOptions {
  /** Refuse to take `from` below the existential deposit. */
  readonly keepAlive: boolean;
}

export function transfer(ctx: RuntimeContext, from: AccountId, to: AccountId, value: bigint, { keepAlive }: TransferOptions): void {
  if (value === 0n || from === to) return;
  const fromFree = freeBalance(ctx, from);
  if (value > fromFree) throw tokenError('FundsUnavailable', `balance ${fromFree} < ${value}`);
  const remaining = fromFree - value;
  if (keepAlive && remaining < EXISTENTIAL_DEPOSIT) throw tokenError('NotExpendable', 'the transfer would take the sender below the existential deposit');
  const toInfo = getAccount(ctx, to);
  if (toInfo.providers === 0 && value < EXISTENTIAL_DEPOSIT) throw tokenError('BelowMinimum', `a new account needs at least ${EXISTENTIAL_DEPOSIT} rao`);
  if (toInfo.data.free + value > U64_MAX) throw new DispatchError({ Arithmetic: 'Overflow' }, 'Arithmetic.Overflow');
  setFree(ctx, to, toInfo.data.free + value);
  setFree(ctx, from, remaining);
  ctx.deposit({ Balances: { Transfer: { from, to, amount: value } } });
}

/**
 * Takes `amount` out of `who`'s free balance and out of issuance (`Currency::withdraw`): fees,
 * stake, burns and locks. `keepAlive` refuses to go below the existential deposit.
 */
export function withdraw(ctx: RuntimeContext, who: AccountId, amount: bigint, keepAlive: boolean): void {
  if (amount === 0n) return;
  const free = freeBalance(ctx, who);
  if (amount > free) throw tokenError('FundsUnavailable', `balance ${free} < ${amount}`);
  if (keepAlive && free - amount < EXISTENTIAL_DEPOSIT) throw tokenError('NotExpendable', 'the withdrawal would take the account below the existential deposit');
  setFree(ctx, who, free - amount);
  adjustIssuance(ctx, -amount);
  ctx.deposit({ Balances: { Withdraw: { who, amount } } });
}

/**
 * Mints `amount` into `who`'s free balance (`Currency::deposit_creating`). A new account needs at
 * least the existential deposit; a smaller amount to a new account is dropped, as on chain.
 * Returns the amount actually credited.
 */
export function depositCreating(ctx: RuntimeContext, who: AccountId, amount: bigint): bigint {
  if (amount === 0n) return 0n;
  const free = freeBalance(ctx, who);
  const next = free + amount > U64_MAX ? U64_MAX : free + amount;
  if (!setFree(ctx, who, next)) return 0n;
  adjustIssuance(ctx, next - free);
  ctx.deposit({ Balances: { Deposit: { who, amount: next - free } } });
  return next - free;
}

export const balancesCalls: CallTable = {
  transfer_allow_death: (ctx, origin, args) => {
    transfer(ctx, ensureSigned(origin), lookupAddress(args.dest), args.value as bigint, { keepAlive: false });
  },
  transfer_keep_alive: (ctx, origin, args) => {
    transfer(ctx, ensureSigned(origin), lookupAddress(args.dest), args.value as bigint, { keepAlive: true });
  },
  transfer_all: (ctx, origin, args) => {
    const from = ensureSigned(origin);
    const keepAlive = args.keep_alive as boolean;
    const free = freeBalance(ctx, from);
    const amount = keepAlive ? (free > EXISTENTIAL_DEPOSIT ? free - EXISTENTIAL_DEPOSIT : 0n) : free;
    transfer(ctx, from, lookupAddress(args.dest), amount, { keepAlive });
  },
  force_transfer: (ctx, origin, args) => {
    ensureRoot(origin);
    transfer(ctx, lookupAddress(args.source), lookupAddress(args.dest), args.value as bigint, { keepAlive: false });
  },
  force_set_balance: (ctx, origin, args) => {
    ensureRoot(origin);
    const who = lookupAddress(args.who);
    const requested = args.new_free as bigint;
    const old = freeBalance(ctx, who);
    const free = requested < EXISTENTIAL_DEPOSIT ? 0n : requested;
    if (free === 0n && getAccount(ctx, who).providers === 0) return;
    setFree(ctx, who, free);
    adjustIssuance(ctx, free - old);
    ctx.deposit({ Balances: { BalanceSet: { who, free } } });
  },
  burn: (ctx, origin, args) => {
    const who = ensureSigned(origin);
    const value = args.value as bigint;
    const free = freeBalance(ctx, who);
    if (value > free) throw tokenError('FundsUnavailable', `balance ${free} < ${value}`);
    if ((args.keep_alive as boolean) && free - value < EXISTENTIAL_DEPOSIT) throw tokenError('NotExpendable', 'the burn would take the account below the existential deposit');
    setFree(ctx, who, free - value);
    adjustIssuance(ctx, -value);
    ctx.deposit({ Balances: { Burned: { who, amount: value } } });
  },
};
