/**
 * Neuron registration (spec §6): `burned_register`, PoW `register`, and block step 1, the
 * burn/difficulty retarget (§2, §6.3).
 */
import { hexToU8a, u8aConcat, u8aEq } from '@polkadot/util';
import { keccakAsU8a, sha256AsU8a } from '@polkadot/util-crypto';
import { retargetRegistration } from '../../../../consensus/registration';
import type { RuntimeContext } from '../../context';
import type { CallTable } from '../../dispatch';
import { TransactionValidityError } from '../../errors';
import { runtimeItems } from '../../items';
import type { AccountId, Hex } from '../../primitives';
import { EXISTENTIAL_DEPOSIT, freeBalance, withdraw } from '../balances';
import { ensureSigned } from '../system';
import {
  appendNeuron,
  blockNumber,
  coldkeyOwnsHotkey,
  createAccountIfNonExistent,
  ensureNetworkExists,
  neuronToPrune,
  replaceNeuron,
  ROOT_NETUID,
  stErr,
  U64_MAX,
} from './common';
import { st } from './items';

const U16_MAX = 65535;
const U256_LIMIT = 1n << 256n;
/** A PoW seal must use the hash of one of the last 3 blocks (the current one included). */
const WORK_BLOCK_WINDOW = 3n;

const satIncU16 = (x: number): number => Math.min(x + 1, U16_MAX);
const satAddU64 = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);

export interface PowRegisterArgs {
  readonly netuid: number;
  readonly block_number: bigint;
  readonly nonce: bigint;
  readonly work: Hex;
  readonly hotkey: AccountId;
  readonly coldkey: AccountId;
}

// ---- checks shared by both registration routes (§6.1 steps 1–6) -----------------------------------

/**
 * §6.1 steps 1–6, in order: not root, subnet exists, this route is open, the per-block and
 * per-interval limits, and the hotkey is not on the subnet yet.
 */
function ensureRegistrable(ctx: RuntimeContext, netuid: number, hotkey: AccountId, routeAllowed: (netuid: number) => boolean): void {
  const s = st();
  if (netuid === ROOT_NETUID) throw stErr('RegistrationNotPermittedOnRootSubnet');
  ensureNetworkExists(ctx, netuid);
  if (!routeAllowed(netuid)) throw stErr('SubNetRegistrationDisabled', `registration is disabled on netuid ${netuid}`);
  const maxPerBlock = s.MaxRegistrationsPerBlock.get(ctx.state, netuid);
  if (s.RegistrationsThisBlock.get(ctx.state, netuid) >= maxPerBlock) {
    throw stErr('TooManyRegistrationsThisBlock', `at most ${maxPerBlock} registrations per block on netuid ${netuid}`);
  }
  // The real node also rejects this in the tx pool (InvalidTransaction::Custom(5)); localnet fails it at dispatch.
  const maxPerInterval = Math.min(s.TargetRegistrationsPerInterval.get(ctx.state, netuid) * 3, U16_MAX);
  if (s.RegistrationsThisInterval.get(ctx.state, netuid) >= maxPerInterval) {
    throw stErr('TooManyRegistrationsThisInterval', `at most ${maxPerInterval} registrations per interval on netuid ${netuid}`);
  }
  if (s.Uids.has(ctx.state, netuid, hotkey)) throw stErr('HotKeyAlreadyRegisteredInSubNet');
}

/**
 * §6.1 steps 8–11: records `coldkey` as the owner of a new hotkey, checks the pairing, then appends
 * a uid or replaces `get_neuron_to_prune`'s (§6.2). Returns the uid.
 */
function assignUid(ctx: RuntimeContext, netuid: number, coldkey: AccountId, hotkey: AccountId): number {
  const s = st();
  createAccountIfNonExistent(ctx, coldkey, hotkey);
  if (!coldkeyOwnsHotkey(ctx, coldkey, hotkey)) throw stErr('NonAssociatedColdKey', 'the hotkey belongs to another coldkey');
  const maxUids = s.MaxAllowedUids.get(ctx.state, netuid);
  if (maxUids === 0) throw stErr('NoNeuronIdAvailable');
  if (s.SubnetworkN.get(ctx.state, netuid) < maxUids) return appendNeuron(ctx, netuid, hotkey);
  const uid = neuronToPrune(ctx, netuid);
  replaceNeuron(ctx, netuid, uid, hotkey);
  return uid;
}

/** §6.1 step 12: the interval counter of the route used, the interval and block counters. */
function countRegistration(ctx: RuntimeContext, netuid: number, route: 'burn' | 'pow'): void {
  const s = st();
  const routeCounter = route === 'burn' ? s.BurnRegistrationsThisInterval : s.POWRegistrationsThisInterval;
  for (const counter of [routeCounter, s.RegistrationsThisInterval, s.RegistrationsThisBlock]) {
    counter.set(ctx.state, netuid, satIncU16(counter.get(ctx.state, netuid)));
  }
}

// ---- burned_register (§6.1) -------------------------------------------------------------------------

/**
 * `remove_balance_from_coldkey_account` (§6.1 step 7): a best-effort withdrawal that keeps the
 * existential deposit, so it may take less than `amount`. Returns what it took; a non-zero request
 * that can take nothing fails with `ZeroBalanceAfterWithdrawn`.
 */
function withdrawBestEffort(ctx: RuntimeContext, coldkey: AccountId, amount: bigint): bigint {
  if (amount === 0n) return 0n;
  const free = freeBalance(ctx, coldkey);
  const reducible = free > EXISTENTIAL_DEPOSIT ? free - EXISTENTIAL_DEPOSIT : 0n;
  const taken = amount < reducible ? amount : reducible;
  if (taken === 0n) throw stErr('ZeroBalanceAfterWithdrawn');
  withdraw(ctx, coldkey, taken, true);
  return taken;
}

/**
 * §6.1 step 7: the coldkey's free balance must cover `Burn`; what the
 * withdrawal takes leaves subtensor's `TotalIssuance` (`burn_tokens`).
 */
function burnRegistrationCost(ctx: RuntimeContext, netuid: number, coldkey: AccountId): void {
  const s = st();
  const burn = s.Burn.get(ctx.state, netuid);
  const free = freeBalance(ctx, coldkey);
  if (burn > free) throw stErr('NotEnoughBalanceToStake', `the burn is ${burn} rao, the free balance ${free} rao`);
  const burned = withdrawBestEffort(ctx, coldkey, burn);
  const issuance = s.TotalIssuance.get(ctx.state);
  s.TotalIssuance.set(ctx.state, issuance > burned ? issuance - burned : 0n);
}

/** `increase_rao_recycled`: adds the full `Burn` (not what was withdrawn) and emits `RAORecycledForRegistrationSet`. */
function recycleBurn(ctx: RuntimeContext, netuid: number): void {
  const s = st();
  const total = satAddU64(s.RAORecycledForRegistration.get(ctx.state, netuid), s.Burn.get(ctx.state, netuid));
  s.RAORecycledForRegistration.set(ctx.state, netuid, total);
  ctx.deposit({ SubtensorModule: { RAORecycledForRegistrationSet: [netuid, total] } });
}

/** `burned_register(netuid, hotkey)` signed by the coldkey (spec §6.1, checks in its order). */
export function burnedRegister(ctx: RuntimeContext, coldkey: AccountId, netuid: number, hotkey: AccountId): void {
  ensureRegistrable(ctx, netuid, hotkey, (n) => st().NetworkRegistrationAllowed.get(ctx.state, n));
  burnRegistrationCost(ctx, netuid, coldkey);
  const uid = assignUid(ctx, netuid, coldkey, hotkey);
  countRegistration(ctx, netuid, 'burn');
  recycleBurn(ctx, netuid);
  ctx.deposit({ SubtensorModule: { NeuronRegistered: [netuid, uid, hotkey] } });
}

// ---- PoW register (§6.1) ----------------------------------------------------------------------------

/**
 * `create_seal_hash`: `keccak256(sha256(nonce_le8 ‖ keccak256(blockHash ‖ hotkey32)))`, the work a
 * PoW registration must present for (`blockHash`, `hotkey`, `nonce`).
 */
export function powSeal(blockHash: Uint8Array, hotkey: Uint8Array, nonce: bigint): Uint8Array {
  const nonceLe = new Uint8Array(8);
  new DataView(nonceLe.buffer).setBigUint64(0, nonce, true);
  const blockAndHotkey = keccakAsU8a(u8aConcat(blockHash, hotkey), 256);
  return keccakAsU8a(sha256AsU8a(u8aConcat(nonceLe, blockAndHotkey)), 256);
}

/** `hash_meets_difficulty`: the hash read as a big-endian U256, times `difficulty`, must not overflow 2²⁵⁶. */
export function sealMeetsDifficulty(seal: Uint8Array, difficulty: bigint): boolean {
  let value = 0n;
  for (const byte of seal) value = (value << 8n) | BigInt(byte);
  return value * difficulty < U256_LIMIT;
}

/** §6.1 PoW: the work was done on one of the last 3 blocks (`InvalidWorkBlock`). */
function ensureWorkBlock(ctx: RuntimeContext, workBlock: bigint): void {
  const b = blockNumber(ctx);
  if (workBlock > b) throw stErr('InvalidWorkBlock', `block ${workBlock} is in the future (current block ${b})`);
  if (b - workBlock >= WORK_BLOCK_WINDOW) throw stErr('InvalidWorkBlock', `block ${workBlock} is too old (current block ${b})`);
}

/**
 * `vec_to_hash`: the work as an H256. `H256::from_slice` panics on any other length, which on chain
 * traps the whole extrinsic: it is dropped from the block (no fee, no nonce), so it is not a DispatchError.
 */
function workAsHash(work: Hex): Uint8Array {
  const bytes = hexToU8a(work);
  if (bytes.length !== 32) {
    throw new TransactionValidityError('Call', `SubtensorModule.register panics: work must be 32 bytes, got ${bytes.length} (H256::from_slice)`);
  }
  return bytes;
}

/**
 * §6.1 PoW: the work meets `Difficulty` (`InvalidDifficulty`) and is the seal of
 * (`BlockHash[block_number]`, hotkey, nonce) (`InvalidSeal`); it is then recorded in `UsedWork`.
 */
function verifyWork(ctx: RuntimeContext, netuid: number, args: PowRegisterArgs): void {
  const work = workAsHash(args.work);
  if (!sealMeetsDifficulty(work, st().Difficulty.get(ctx.state, netuid))) throw stErr('InvalidDifficulty');
  // The current block's own hash is not known yet: System.BlockHash reads as zero for it.
  const blockHash = hexToU8a(runtimeItems().System.BlockHash.get(ctx.state, Number(args.block_number)));
  if (!u8aEq(powSeal(blockHash, hexToU8a(args.hotkey), args.nonce), work)) throw stErr('InvalidSeal');
  st().UsedWork.set(ctx.state, args.work, blockNumber(ctx));
}

/**
 * PoW `register(netuid, block_number, nonce, work, hotkey, coldkey)` signed by the hotkey (spec §6.1).
 * `UsedWork` is written but never checked, as on chain: a seal is bound to its hotkey and block, and a
 * hotkey cannot register twice on one subnet.
 */
export function powRegister(ctx: RuntimeContext, signer: AccountId, args: PowRegisterArgs): void {
  const { netuid, hotkey } = args;
  if (signer !== hotkey) throw stErr('TransactorAccountShouldBeHotKey');
  ensureRegistrable(ctx, netuid, hotkey, (n) => st().NetworkPowRegistrationAllowed.get(ctx.state, n));
  ensureWorkBlock(ctx, args.block_number);
  verifyWork(ctx, netuid, args);
  const uid = assignUid(ctx, netuid, args.coldkey, hotkey);
  countRegistration(ctx, netuid, 'pow');
  ctx.deposit({ SubtensorModule: { NeuronRegistered: [netuid, uid, hotkey] } });
}

export const registrationCalls: CallTable = {
  /** §6.1 `burned_register` (call 7). */
  burned_register: (ctx, origin, args) => burnedRegister(ctx, ensureSigned(origin), args.netuid as number, args.hotkey as AccountId),
  /** §6.1 PoW `register` (call 6). */
  register: (ctx, origin, args) => powRegister(ctx, ensureSigned(origin), args as unknown as PowRegisterArgs),
};

// ---- block step 1: burn/difficulty retarget (§2, §6.3) ----------------------------------------------

/** §6.3: whether `b − LastAdjustmentBlock ≥ AdjustmentInterval` for `netuid`. */
function adjustmentDue(ctx: RuntimeContext, netuid: number): boolean {
  const s = st();
  const b = blockNumber(ctx);
  const last = s.LastAdjustmentBlock.get(ctx.state, netuid);
  const elapsed = b > last ? b - last : 0n;
  return elapsed >= BigInt(s.AdjustmentInterval.get(ctx.state, netuid));
}

/**
 * §6.3 table: which values this interval's retarget rewrites. Too many registrations raise the
 * price of the more popular route, too few lower the price of the less popular one; a tie moves both.
 */
function retargetedRoutes(registrations: number, target: number, pow: number, burn: number): { burn: boolean; difficulty: boolean } {
  return registrations > target ? { burn: pow <= burn, difficulty: pow >= burn } : { burn: pow >= burn, difficulty: pow <= burn };
}

/**
 * §6.3: one interval's retarget of `Burn`/`Difficulty` for `netuid` (values from the consensus
 * library's `retargetRegistration`), then `LastAdjustmentBlock = b` and the three interval counters
 * reset. A zero `TargetRegistrationsPerInterval` divides by zero:
 * the chain panics in `on_initialize` and so does this (the `ConsensusError` propagates).
 */
function retargetNetwork(ctx: RuntimeContext, netuid: number): void {
  const s = st();
  const v = ctx.state;
  const counters = {
    registrations: s.RegistrationsThisInterval.get(v, netuid),
    powRegistrations: s.POWRegistrationsThisInterval.get(v, netuid),
    burnRegistrations: s.BurnRegistrationsThisInterval.get(v, netuid),
    target: s.TargetRegistrationsPerInterval.get(v, netuid),
  };
  const next = retargetRegistration({
    ...counters,
    burn: s.Burn.get(v, netuid),
    difficulty: s.Difficulty.get(v, netuid),
    alpha: s.AdjustmentAlpha.get(v, netuid),
    minBurn: s.MinBurn.get(v, netuid),
    maxBurn: s.MaxBurn.get(v, netuid),
    minDifficulty: s.MinDifficulty.get(v, netuid),
    maxDifficulty: s.MaxDifficulty.get(v, netuid),
  });
  const routes = retargetedRoutes(counters.registrations, counters.target, counters.powRegistrations, counters.burnRegistrations);
  if (routes.burn) s.Burn.set(v, netuid, next.burn);
  if (routes.difficulty) {
    // `set_difficulty` emits `DifficultySet`; `set_burn` emits nothing.
    s.Difficulty.set(v, netuid, next.difficulty);
    ctx.deposit({ SubtensorModule: { DifficultySet: [netuid, next.difficulty] } });
  }
  s.LastAdjustmentBlock.set(v, netuid, blockNumber(ctx));
  s.RegistrationsThisInterval.set(v, netuid, 0);
  s.POWRegistrationsThisInterval.set(v, netuid, 0);
  s.BurnRegistrationsThisInterval.set(v, netuid, 0);
}

/**
 * Block step 1 (`adjust_registration_terms_for_networks`, §2 + §6.3): for every network in
 * `NetworksAdded` (root included, ascending netuid), retarget burn/difficulty when the adjustment
 * interval has elapsed, then reset `RegistrationsThisBlock`.
 */
export function adjustRegistrationTerms(ctx: RuntimeContext): void {
  const s = st();
  for (const [[netuid]] of s.NetworksAdded.entries(ctx.state)) {
    if (adjustmentDue(ctx, netuid)) retargetNetwork(ctx, netuid);
    s.RegistrationsThisBlock.set(ctx.state, netuid, 0);
  }
}
