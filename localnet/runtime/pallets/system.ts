/** frame_system: accounts and nonces, block bookkeeping, events, `remark`. */
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { RuntimeContext } from '../context';
import { badOrigin } from '../errors';
import { runtimeItems, type AccountInfo } from '../items';
import type { AccountId, Hex, Origin } from '../primitives';
import type { CallTable } from '../dispatch';

const EMPTY_ACCOUNT: AccountInfo = Object.freeze({
  nonce: 0,
  consumers: 0,
  providers: 0,
  sufficients: 0,
  data: Object.freeze({ free: 0n, reserved: 0n, frozen: 0n, flags: 0n }),
});

export function getAccount(ctx: RuntimeContext, who: AccountId): AccountInfo {
  return runtimeItems().System.Account.get(ctx.state, who) ?? EMPTY_ACCOUNT;
}

/** Writes the account, removing it from storage when it no longer exists (no providers, nonce reset). */
export function putAccount(ctx: RuntimeContext, who: AccountId, info: AccountInfo): void {
  const { Account } = runtimeItems().System;
  if (info.providers === 0 && info.sufficients === 0 && info.consumers === 0) Account.remove(ctx.state, who);
  else Account.set(ctx.state, who, info);
}

export function incrementNonce(ctx: RuntimeContext, who: AccountId): void {
  const info = getAccount(ctx, who);
  runtimeItems().System.Account.set(ctx.state, who, { ...info, nonce: info.nonce + 1 });
}

export function ensureSigned(origin: Origin): AccountId {
  if (origin.kind !== 'signed') throw badOrigin('a signed origin is required');
  return origin.who;
}

export function ensureRoot(origin: Origin): void {
  if (origin.kind !== 'root') throw badOrigin('the root origin is required');
}

/** `System::initialize`: block number, parent hash, fresh events and per-block counters. */
export function initializeBlock(ctx: RuntimeContext): void {
  const { System } = runtimeItems();
  const { number, parentHash } = ctx.block;
  System.Number.set(ctx.state, number);
  System.ParentHash.set(ctx.state, parentHash);
  if (number > 0) System.BlockHash.set(ctx.state, number - 1, parentHash);
  System.Events.remove(ctx.state);
  System.EventCount.remove(ctx.state);
}

/** `System::finalize`: stores the block's events (they stay readable until the next block starts). */
export function finalizeBlock(ctx: RuntimeContext): void {
  const { System } = runtimeItems();
  System.Events.set(ctx.state, [...ctx.events]);
  System.EventCount.set(ctx.state, ctx.events.length);
}

export const systemCalls: CallTable = {
  /** Root: write raw storage (`items: Vec<(key, value)>`), as `System.set_storage` does. */
  set_storage: (ctx, origin, args) => {
    ensureRoot(origin);
    for (const [key, value] of args.items as [Hex, Hex][]) ctx.state.set(key, hexToU8a(value));
  },
  kill_storage: (ctx, origin, args) => {
    ensureRoot(origin);
    for (const key of args.keys as Hex[]) ctx.state.delete(key);
  },
  kill_prefix: (ctx, origin, args) => {
    ensureRoot(origin);
    ctx.state.clearPrefix(args.prefix as Hex);
  },
  remark: (_ctx, origin) => {
    ensureSigned(origin);
  },
  remark_with_event: (ctx, origin, args) => {
    const sender = ensureSigned(origin);
    const { remark } = args as { remark: Hex };
    ctx.deposit({ System: { Remarked: { sender, hash: blake2AsHex(remark, 256) } } });
  },
};
