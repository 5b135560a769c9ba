/**
 * State seeding for root-network chain tests: writes go through root `System.set_storage` /
 * `kill_storage` in one real block (signed by the sudo key), via `TestChain.seed`.
 */
import type { RuntimeContext } from '../../../localnet/runtime/context';
import { appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork } from '../../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../../localnet/runtime/pallets/subtensor/items';
import type { AccountId } from '../../../localnet/runtime/primitives';
import type { TestChain } from '../../localnet/helpers/test-chain';
import { mulberry32 } from '../../../common/random';

/** Applies `write` in one real block through root `System.set_storage` (the shared `TestChain.seed`); returns that block. */
export function seed(t: TestChain, write: (ctx: RuntimeContext) => void): Promise<number> {
  return t.seed(write);
}

/** Creates `netuid` as `register_network` initializes it, owned by `owner`. */
export function addSubnet(t: TestChain, ctx: RuntimeContext, netuid: number, tempo: number, owner = '//Bob'): void {
  initNewNetwork(ctx.state, netuid, tempo);
  st().SubnetOwner.set(ctx.state, netuid, t.account(owner));
  st().NetworkRegisteredAt.set(ctx.state, netuid, BigInt(ctx.block.number));
}

/** Registers `hotkey` (owned by `coldkey`) on `netuid` with `stake` from the owner; returns its uid. */
export function addNeuron(ctx: RuntimeContext, netuid: number, coldkey: AccountId, hotkey: AccountId, stake = 0n): number {
  createAccountIfNonExistent(ctx, coldkey, hotkey);
  const uid = appendNeuron(ctx, netuid, hotkey);
  if (stake > 0n) increaseStake(ctx, coldkey, hotkey, stake);
  return uid;
}

/** `(b + netuid + 1) mod (tempo + 1) = tempo` (spec §2.1). */
export const isEpochBlock = (netuid: number, tempo: number, b: number): boolean => tempo !== 0 && (b + netuid + 1) % (tempo + 1) === tempo;

/** The first block after `after` at which `netuid` with `tempo` runs its epoch. */
export function nextEpochBlock(netuid: number, tempo: number, after: number): number {
  let b = after + 1;
  while (!isEpochBlock(netuid, tempo, b)) b++;
  return b;
}

/** A seeded PRNG in [0, 1) for deterministic random scenarios. */
export const seededRandom = mulberry32;
