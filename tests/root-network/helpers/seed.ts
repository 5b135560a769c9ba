/**
 * State seeding for root-network chain tests: writes go through root `System.set_storage` /
 * `kill_storage` in one real block (signed by the sudo key), like tests/localnet/subtensor-coinbase.
 */
import { u8aToHex } from '@polkadot/util';
import type { RuntimeContext } from '../../../localnet/runtime/context';
import { appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork } from '../../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../../localnet/runtime/pallets/subtensor/items';
import type { AccountId } from '../../../localnet/runtime/primitives';
import { StateOverlay } from '../../../localnet/state/overlay';
import type { TestChain } from '../../localnet/helpers/test-chain';

/** Runs `write` against an overlay of the best state (next block's number) and applies it in one block; returns that block. */
export async function seed(t: TestChain, write: (ctx: RuntimeContext) => void): Promise<number> {
  const block = t.blockNumber + 1;
  const overlay = new StateOverlay(t.chain.stateAt());
  write(t.chain.runtime.context(overlay, { number: block, parentHash: t.chain.bestBlock().hash }));
  const items: [string, string][] = [];
  const keys: string[] = [];
  for (const [key, value] of overlay.changes()) {
    if (value === null) keys.push(key);
    else items.push([key, u8aToHex(value)]);
  }
  const { meta } = t.chain.runtime;
  const call = (method: string, args: object): unknown => meta.registry.createType('Call', { callIndex: meta.callIndex('System', method), args });
  const r = await t.sudo('Utility', 'batch_all', { calls: [call('set_storage', { items }), call('kill_storage', { keys })] });
  if (r.error) throw new Error(`seed failed: ${r.error}`);
  return block;
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

/** mulberry32: a small seeded PRNG in [0, 1) for deterministic random scenarios. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
