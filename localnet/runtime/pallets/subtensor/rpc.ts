/**
 * Subtensor's custom RPCs as the pre-dTAO node serves them (spec §11.2 "Runtime APIs"; struct layouts
 * as the subtensor node serves them): the SCALE bytes of `NeuronInfo(Lite)`,
 * `SubnetInfo`, `SubnetHyperparams` and `DelegateInfo`, built from storage the way the PRE runtime APIs
 * build them, and the network lock cost (§4.4 step 2).
 *
 * Conventions of the node, kept here: a single value that does not exist (`Option::None`) is answered
 * as `null` (the RPC layer sends the empty vector the runtime returns); a present one is the bare struct
 * encoding, not an `Option`. Lists are `Vec<…>` encodings (`[0]` when empty), except
 * `subnetInfo_getSubnetsInfo`, which is `Vec<Option<SubnetInfo>>`.
 */
import { bnToU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { div as divFixed, fromF64, fromInt, mul as mulFixed, saturate, toIntFloor, type FixedType } from '../../../../consensus/fixed/bigint';
import { ChainError } from '../../../chain/errors';
import { StateOverlay } from '../../../state/overlay';
import type { StateReader } from '../../../state/types';
import { RuntimeContext } from '../../context';
import { otherError } from '../../errors';
import { runtimeItems } from '../../items';
import type { AccountId } from '../../primitives';
import { stakeOnSubnet } from './common';
import { st } from './items';
import { networkLockCost } from './networks';

// ---- SCALE writing ---------------------------------------------------------------------------------

/** Appends SCALE values in order; `finish` concatenates them. */
class ScaleWriter {
  private readonly parts: Uint8Array[] = [];

  compact(value: number | bigint): this {
    this.parts.push(compactToU8a(value));
    return this;
  }

  /** A little-endian unsigned integer of `bits` bits. */
  uint(value: number | bigint, bits: 8 | 16 | 32 | 64 | 128): this {
    this.parts.push(bnToU8a(value, { bitLength: bits, isLe: true }));
    return this;
  }

  bool(value: boolean): this {
    this.parts.push(Uint8Array.of(value ? 1 : 0));
    return this;
  }

  account(id: AccountId): this {
    this.parts.push(hexToU8a(id));
    return this;
  }

  /** `Vec<T>`: compact length, then each item. */
  vec<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.compact(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  finish(): Uint8Array {
    return u8aConcat(...this.parts);
  }
}

const encode = (fill: (w: ScaleWriter) => void): Uint8Array => {
  const w = new ScaleWriter();
  fill(w);
  return w.finish();
};

// ---- state helpers ---------------------------------------------------------------------------------

/**
 * A throw-away context over `view`, for pallet helpers written against `RuntimeContext`
 * (`stakeOnSubnet`); its overlay is never committed, so nothing is written back.
 */
function readContext(view: StateReader): RuntimeContext {
  const number = runtimeItems().System.Number.get(view);
  return new RuntimeContext(new StateOverlay(view), { number, parentHash: `0x${'00'.repeat(32)}` }, () => {
    throw otherError('custom RPCs cannot dispatch calls');
  });
}

function subnetExists(view: StateReader, netuid: number): boolean {
  return st().NetworksAdded.get(view, netuid);
}

/** `Keys::try_get(netuid, uid)`: the uid's hotkey, or null when the slot is empty. */
function hotkeyOf(view: StateReader, netuid: number, uid: number): AccountId | null {
  return st().Keys.has(view, netuid, uid) ? st().Keys.get(view, netuid, uid) : null;
}

/** The per-uid vectors of one subnet, read once per call (getters default to 0 / false, pruning to 65535). */
class SubnetVectors {
  private constructor(
    readonly active: readonly boolean[],
    readonly rank: readonly number[],
    readonly emission: readonly bigint[],
    readonly incentive: readonly number[],
    readonly consensus: readonly number[],
    readonly trust: readonly number[],
    readonly validatorTrust: readonly number[],
    readonly dividends: readonly number[],
    readonly lastUpdate: readonly bigint[],
    readonly validatorPermit: readonly boolean[],
    readonly pruningScores: readonly number[],
  ) {}

  static read(view: StateReader, netuid: number): SubnetVectors {
    const s = st();
    return new SubnetVectors(
      s.Active.get(view, netuid),
      s.Rank.get(view, netuid),
      s.Emission.get(view, netuid),
      s.Incentive.get(view, netuid),
      s.Consensus.get(view, netuid),
      s.Trust.get(view, netuid),
      s.ValidatorTrust.get(view, netuid),
      s.Dividends.get(view, netuid),
      s.LastUpdate.get(view, netuid),
      s.ValidatorPermit.get(view, netuid),
      s.PruningScores.get(view, netuid),
    );
  }
}

// ---- neurons (NeuronInfoRuntimeApi) -------------------------------------------------------------------

type Stakes = ReadonlyArray<readonly [AccountId, bigint]>;

/** `AxonInfo` of `hotkey` on `netuid`, all zeros when it never served. */
function writeAxon(w: ScaleWriter, view: StateReader, netuid: number, hotkey: AccountId): void {
  const a = st().Axons.get(view, netuid, hotkey);
  w.uint(a?.block ?? 0n, 64).uint(a?.version ?? 0, 32).uint(a?.ip ?? 0n, 128).uint(a?.port ?? 0, 16);
  w.uint(a?.ip_type ?? 0, 8).uint(a?.protocol ?? 0, 8).uint(a?.placeholder1 ?? 0, 8).uint(a?.placeholder2 ?? 0, 8);
}

/** `PrometheusInfo` of `hotkey` on `netuid`, all zeros when it never served. */
function writePrometheus(w: ScaleWriter, view: StateReader, netuid: number, hotkey: AccountId): void {
  const p = st().Prometheus.get(view, netuid, hotkey);
  w.uint(p?.block ?? 0n, 64).uint(p?.version ?? 0, 32).uint(p?.ip ?? 0n, 128).uint(p?.port ?? 0, 16).uint(p?.ip_type ?? 0, 8);
}

const writeStakes = (w: ScaleWriter, stakes: Stakes): void => {
  w.vec(stakes, (x, [coldkey, amount]) => x.account(coldkey).compact(amount));
};

/** `Vec<(Compact<u16>, Compact<u16>)>` of a weights/bonds row, zero entries dropped. */
const writeSparseRow = (w: ScaleWriter, row: ReadonlyArray<readonly [number, number]>): void => {
  w.vec(
    row.filter(([, v]) => v > 0),
    (x, [j, v]) => x.compact(j).compact(v),
  );
};

/** The fields every neuron struct shares, `hotkey` … `validator_permit`, with `stake` in between. */
function writeNeuronCommon(w: ScaleWriter, view: StateReader, v: SubnetVectors, netuid: number, uid: number, hotkey: AccountId, stakes: Stakes): void {
  w.account(hotkey).account(st().Owner.get(view, hotkey)).compact(uid).compact(netuid).bool(v.active[uid] ?? false);
  writeAxon(w, view, netuid, hotkey);
  writePrometheus(w, view, netuid, hotkey);
  writeStakes(w, stakes);
  w.compact(v.rank[uid] ?? 0).compact(v.emission[uid] ?? 0n).compact(v.incentive[uid] ?? 0).compact(v.consensus[uid] ?? 0);
  w.compact(v.trust[uid] ?? 0).compact(v.validatorTrust[uid] ?? 0).compact(v.dividends[uid] ?? 0);
  w.compact(v.lastUpdate[uid] ?? 0n).bool(v.validatorPermit[uid] ?? false);
}

/**
 * `NeuronInfoLite` of a registered uid. Its `stake` is the single pair (owner coldkey, child-adjusted
 * stake on the subnet) — PRE reports the stake weight here, not the per-nominator map.
 */
function writeNeuronLite(w: ScaleWriter, view: StateReader, v: SubnetVectors, netuid: number, uid: number, hotkey: AccountId): void {
  const stake = stakeOnSubnet(readContext(view), hotkey, netuid);
  writeNeuronCommon(w, view, v, netuid, uid, hotkey, [[st().Owner.get(view, hotkey), stake]]);
  w.compact(v.pruningScores[uid] ?? 65535);
}

/** `NeuronInfo` of a registered uid: every nominator's stake, then weights and bonds (zeros dropped). */
function writeNeuron(w: ScaleWriter, view: StateReader, v: SubnetVectors, netuid: number, uid: number, hotkey: AccountId): void {
  const stakes = st().Stake.entries(view, hotkey).map(([[, coldkey], amount]) => [coldkey, amount] as const);
  writeNeuronCommon(w, view, v, netuid, uid, hotkey, stakes);
  writeSparseRow(w, st().Weights.get(view, netuid, uid));
  writeSparseRow(w, st().Bonds.get(view, netuid, uid));
  w.compact(v.pruningScores[uid] ?? 65535);
}

type NeuronWriter = typeof writeNeuron;

/** The uids `0..SubnetworkN` with their hotkeys, up to the first empty slot (as `get_neurons` stops there). */
function registeredUids(view: StateReader, netuid: number): Array<[number, AccountId]> {
  const uids: Array<[number, AccountId]> = [];
  const n = st().SubnetworkN.get(view, netuid);
  for (let uid = 0; uid < n; uid++) {
    const hotkey = hotkeyOf(view, netuid, uid);
    if (hotkey === null) break;
    uids.push([uid, hotkey]);
  }
  return uids;
}

/** `get_neurons(_lite)`: every registered uid; the empty list for a missing subnet. */
function neuronList(view: StateReader, netuid: number, write: NeuronWriter): Uint8Array {
  if (!subnetExists(view, netuid)) return encode((w) => w.compact(0));
  const vectors = SubnetVectors.read(view, netuid);
  return encode((w) => w.vec(registeredUids(view, netuid), (x, [uid, hotkey]) => write(x, view, vectors, netuid, uid, hotkey)));
}

/** `get_neuron(_lite)`: null when the subnet or the uid's slot does not exist. */
function singleNeuron(view: StateReader, netuid: number, uid: number, write: NeuronWriter): Uint8Array | null {
  if (!subnetExists(view, netuid)) return null;
  const hotkey = hotkeyOf(view, netuid, uid);
  if (hotkey === null) return null;
  const vectors = SubnetVectors.read(view, netuid);
  return encode((w) => write(w, view, vectors, netuid, uid, hotkey));
}

/** `neuronInfo_getNeuronsLite(netuid)`: `Vec<NeuronInfoLite>`. */
export const neuronsLite = (view: StateReader, netuid: number): Uint8Array => neuronList(view, netuid, writeNeuronLite);
/** `neuronInfo_getNeuronLite(netuid, uid)`: `NeuronInfoLite`, or null. */
export const neuronLite = (view: StateReader, netuid: number, uid: number): Uint8Array | null => singleNeuron(view, netuid, uid, writeNeuronLite);
/** `neuronInfo_getNeurons(netuid)`: `Vec<NeuronInfo>`. */
export const neurons = (view: StateReader, netuid: number): Uint8Array => neuronList(view, netuid, writeNeuron);
/** `neuronInfo_getNeuron(netuid, uid)`: `NeuronInfo`, or null. */
export const neuron = (view: StateReader, netuid: number, uid: number): Uint8Array | null => singleNeuron(view, netuid, uid, writeNeuron);

// ---- subnets (SubnetInfoRuntimeApi) ------------------------------------------------------------------

/** `SubnetInfo` fields of an existing subnet (`network_connect` is always empty). */
function writeSubnetInfo(w: ScaleWriter, view: StateReader, netuid: number): void {
  const s = st();
  w.compact(netuid).compact(s.Rho.get(view, netuid)).compact(s.Kappa.get(view, netuid)).compact(s.Difficulty.get(view, netuid));
  w.compact(s.ImmunityPeriod.get(view, netuid)).compact(s.MaxAllowedValidators.get(view, netuid));
  w.compact(s.MinAllowedWeights.get(view, netuid)).compact(s.MaxWeightsLimit.get(view, netuid));
  w.compact(s.ScalingLawPower.get(view, netuid)).compact(s.SubnetworkN.get(view, netuid)).compact(s.MaxAllowedUids.get(view, netuid));
  w.compact(s.BlocksSinceLastStep.get(view, netuid)).compact(s.Tempo.get(view, netuid)).compact(s.NetworkModality.get(view, netuid));
  w.compact(0); // network_connect: Vec<[u16; 2]>, never filled
  w.compact(s.EmissionValues.get(view, netuid)).compact(s.Burn.get(view, netuid)).account(s.SubnetOwner.get(view, netuid));
}

/** `subnetInfo_getSubnetInfo(netuid)`: `SubnetInfo`, or null for a missing subnet. */
export function subnetInfo(view: StateReader, netuid: number): Uint8Array | null {
  if (!subnetExists(view, netuid)) return null;
  return encode((w) => writeSubnetInfo(w, view, netuid));
}

/** `subnetInfo_getSubnetsInfo()`: `Vec<Option<SubnetInfo>>` over the added networks in ascending netuid. */
export function subnetsInfo(view: StateReader): Uint8Array {
  const netuids = st()
    .NetworksAdded.entries(view)
    .filter(([, added]) => added)
    .map(([[netuid]]) => netuid)
    .sort((a, b) => a - b);
  return encode((w) => w.vec(netuids, (x, netuid) => writeSubnetInfo(x.uint(1, 8), view, netuid)));
}

/** `subnetInfo_getSubnetHyperparams(netuid)`: the 27 `SubnetHyperparams` fields (§10 order), or null. */
export function subnetHyperparams(view: StateReader, netuid: number): Uint8Array | null {
  if (!subnetExists(view, netuid)) return null;
  const s = st();
  const [alphaLow, alphaHigh] = s.AlphaValues.get(view, netuid);
  return encode((w) => {
    w.compact(s.Rho.get(view, netuid)).compact(s.Kappa.get(view, netuid)).compact(s.ImmunityPeriod.get(view, netuid));
    w.compact(s.MinAllowedWeights.get(view, netuid)).compact(s.MaxWeightsLimit.get(view, netuid)).compact(s.Tempo.get(view, netuid));
    w.compact(s.MinDifficulty.get(view, netuid)).compact(s.MaxDifficulty.get(view, netuid));
    w.compact(s.WeightsVersionKey.get(view, netuid)).compact(s.WeightsSetRateLimit.get(view, netuid));
    w.compact(s.AdjustmentInterval.get(view, netuid)).compact(s.ActivityCutoff.get(view, netuid));
    w.bool(s.NetworkRegistrationAllowed.get(view, netuid)).compact(s.TargetRegistrationsPerInterval.get(view, netuid));
    w.compact(s.MinBurn.get(view, netuid)).compact(s.MaxBurn.get(view, netuid)).compact(s.BondsMovingAverage.get(view, netuid));
    w.compact(s.MaxRegistrationsPerBlock.get(view, netuid)).compact(s.ServingRateLimit.get(view, netuid));
    w.compact(s.MaxAllowedValidators.get(view, netuid)).compact(s.AdjustmentAlpha.get(view, netuid)).compact(s.Difficulty.get(view, netuid));
    w.compact(s.RevealPeriodEpochs.get(view, netuid)).bool(s.CommitRevealWeightsEnabled.get(view, netuid));
    w.compact(alphaHigh).compact(alphaLow).bool(s.LiquidAlphaOn.get(view, netuid));
  });
}

/** `get_network_lock_cost` at `block` (spec §4.4 step 2): the same rule `register_network` charges. */
export const lockCost = networkLockCost;

// ---- delegates (DelegateInfoRuntimeApi) --------------------------------------------------------------

/** substrate-fixed `U64F64` (unsigned, 64 fractional bits), for the delegate return estimates. */
const U64F64: FixedType = Object.freeze({ frac: 64, min: 0n, max: (1n << 128n) - 1n, one: 1n << 64n });

/** Blocks per day the runtime assumes for the return estimates. */
const BLOCKS_PER_DAY = 7200;

/** The netuids `hotkey` is a member of, in storage order (`get_registered_networks_for_hotkey`). */
function registrationsOf(view: StateReader, hotkey: AccountId): number[] {
  return st()
    .IsNetworkMember.entries(view, hotkey)
    .filter(([, member]) => member)
    .map(([[, netuid]]) => netuid);
}

/**
 * `Σ_netuid Emission[uid] · (7200 / Tempo)` in U64F64 over the delegate's registrations (a zero tempo
 * contributes nothing), and the netuids where it holds a validator permit.
 */
function dailyEmission(view: StateReader, hotkey: AccountId, netuids: readonly number[]): { perDay: bigint; permits: number[] } {
  const s = st();
  let perDay = 0n;
  const permits: number[] = [];
  for (const netuid of netuids) {
    const uid = s.Uids.get(view, netuid, hotkey);
    if (uid === null) continue;
    if (s.ValidatorPermit.get(view, netuid)[uid] ?? false) permits.push(netuid);
    const tempo = s.Tempo.get(view, netuid);
    if (tempo === 0) continue;
    const epochsPerDay = divFixed(U64F64, fromInt(U64F64, BLOCKS_PER_DAY), fromInt(U64F64, tempo));
    const emission = fromInt(U64F64, s.Emission.get(view, netuid)[uid] ?? 0n);
    perDay = saturate(U64F64, perDay + mulFixed(U64F64, emission, epochsPerDay));
  }
  return { perDay, permits };
}

/** `(perDay · 0.82) / (total_stake / 1000)` in U64F64, 0 without stake. */
function returnPer1000(perDay: bigint, totalStake: bigint): bigint {
  if (totalStake === 0n) return 0n;
  const per1000Staked = divFixed(U64F64, fromInt(U64F64, totalStake), fromInt(U64F64, 1000));
  return divFixed(U64F64, mulFixed(U64F64, perDay, fromF64(U64F64, 0.82)), per1000Staked);
}

/** `DelegateInfo` of a delegate hotkey (`get_delegate_by_existing_account`). */
function writeDelegate(w: ScaleWriter, view: StateReader, hotkey: AccountId): void {
  const s = st();
  const nominators = s.Stake.entries(view, hotkey)
    .filter(([, amount]) => amount !== 0n)
    .map(([[, coldkey], amount]) => [coldkey, amount] as const);
  const registrations = registrationsOf(view, hotkey);
  const { perDay, permits } = dailyEmission(view, hotkey, registrations);
  const returns = returnPer1000(perDay, s.TotalHotkeyStake.get(view, hotkey));
  w.account(hotkey).compact(s.Delegates.get(view, hotkey));
  writeStakes(w, nominators);
  w.account(s.Owner.get(view, hotkey));
  w.vec(registrations, (x, netuid) => x.compact(netuid)).vec(permits, (x, netuid) => x.compact(netuid));
  w.compact(toIntFloor(U64F64, returns)).compact(toIntFloor(U64F64, perDay));
}

/** The delegate hotkeys in storage order (`Delegates::iter_keys`). */
const delegateKeys = (view: StateReader): AccountId[] => st().Delegates.keys(view).map(([hotkey]) => hotkey);

/** `delegateInfo_getDelegates()`: `Vec<DelegateInfo>`. */
export function delegates(view: StateReader): Uint8Array {
  return encode((w) => w.vec(delegateKeys(view), (x, hotkey) => writeDelegate(x, view, hotkey)));
}

/** `delegateInfo_getDelegate(account)`: `DelegateInfo`, or null unless `account` is 32 bytes of a delegate. */
export function delegate(view: StateReader, account: Uint8Array): Uint8Array | null {
  if (account.length !== 32) return null;
  const hotkey = toAccountId(account);
  if (!st().Delegates.has(view, hotkey)) return null;
  return encode((w) => writeDelegate(w, view, hotkey));
}

/**
 * `delegateInfo_getDelegated(account)`: `Vec<(DelegateInfo, Compact<u64>)>` of the delegates `account`
 * (a coldkey) has stake on. The account decodes from the first 32 bytes; fewer give an empty list.
 */
export function delegated(view: StateReader, account: Uint8Array): Uint8Array {
  const coldkey = account.length >= 32 ? toAccountId(account.subarray(0, 32)) : null;
  const staked = coldkey === null ? [] : delegateKeys(view).map((hotkey) => [hotkey, st().Stake.get(view, hotkey, coldkey)] as const);
  return encode((w) =>
    w.vec(
      staked.filter(([, amount]) => amount !== 0n),
      (x, [hotkey, amount]) => {
        writeDelegate(x, view, hotkey);
        x.compact(amount);
      },
    ),
  );
}

const toAccountId = (bytes: Uint8Array): AccountId => u8aToHex(bytes) as AccountId;

// ---- JSON-RPC entry point ----------------------------------------------------------------------------

function invalidParams(method: string, message: string): ChainError {
  return new ChainError('InvalidParams', `${method}: ${message}`, { method });
}

function expectArity(method: string, params: readonly unknown[], count: number): void {
  if (params.length !== count) throw invalidParams(method, `expected ${count} parameter(s), got ${params.length}`);
}

function u16Param(method: string, params: readonly unknown[], index: number, name: string): number {
  const value = params[index];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff) throw invalidParams(method, `${name} must be a u16`);
  return value;
}

function bytesParam(method: string, params: readonly unknown[], index: number, name: string): Uint8Array {
  const value = params[index];
  if (!Array.isArray(value) || !value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw invalidParams(method, `${name} must be a JSON array of byte values`);
  }
  return Uint8Array.from(value as number[]);
}

type CustomRpc = (method: string, params: readonly unknown[], view: StateReader, blockNumber: number) => Uint8Array | null;

const netuidRpc =
  (f: (view: StateReader, netuid: number) => Uint8Array | null): CustomRpc =>
  (method, params, view) => {
    expectArity(method, params, 1);
    return f(view, u16Param(method, params, 0, 'netuid'));
  };

const uidRpc =
  (f: (view: StateReader, netuid: number, uid: number) => Uint8Array | null): CustomRpc =>
  (method, params, view) => {
    expectArity(method, params, 2);
    return f(view, u16Param(method, params, 0, 'netuid'), u16Param(method, params, 1, 'uid'));
  };

const accountRpc =
  (name: string, f: (view: StateReader, account: Uint8Array) => Uint8Array | null): CustomRpc =>
  (method, params, view) => {
    expectArity(method, params, 1);
    return f(view, bytesParam(method, params, 0, name));
  };

const noParamRpc =
  (f: (view: StateReader, blockNumber: number) => Uint8Array): CustomRpc =>
  (method, params, view, blockNumber) => {
    expectArity(method, params, 0);
    return f(view, blockNumber);
  };

const CUSTOM_RPCS: Readonly<Record<string, CustomRpc>> = {
  neuronInfo_getNeuronsLite: netuidRpc(neuronsLite),
  neuronInfo_getNeuronLite: uidRpc(neuronLite),
  neuronInfo_getNeurons: netuidRpc(neurons),
  neuronInfo_getNeuron: uidRpc(neuron),
  subnetInfo_getSubnetInfo: netuidRpc(subnetInfo),
  subnetInfo_getSubnetsInfo: noParamRpc((view) => subnetsInfo(view)),
  subnetInfo_getSubnetHyperparams: netuidRpc(subnetHyperparams),
  subnetInfo_getLockCost: noParamRpc((view, block) => bnToU8a(lockCost(view, BigInt(block)), { bitLength: 64, isLe: true })),
  delegateInfo_getDelegates: noParamRpc((view) => delegates(view)),
  delegateInfo_getDelegate: accountRpc('delegate_account_vec', delegate),
  delegateInfo_getDelegated: accountRpc('delegatee_account_vec', delegated),
};

/** The custom RPC method names served by {@link subtensorCustomRpc}. */
export const SUBTENSOR_CUSTOM_RPCS: readonly string[] = Object.freeze(Object.keys(CUSTOM_RPCS));

/**
 * Answers subtensor custom RPC `method` with `params` (JSON, without the trailing block hash) against
 * `state` at block `blockNumber`: the SCALE bytes the node returns, or null for an absent value (the
 * node's empty vector). `subnetInfo_getLockCost` answers its u64 as 8 little-endian bytes. Throws
 * `ChainError` `InvalidParams` for malformed params and `UnknownRpc` for any other method.
 */
export function subtensorCustomRpc(method: string, params: readonly unknown[], state: StateReader, blockNumber: number): Uint8Array | null {
  const rpc = Object.hasOwn(CUSTOM_RPCS, method) ? CUSTOM_RPCS[method] : undefined;
  if (!rpc) throw new ChainError('UnknownRpc', `${method} is not a subtensor custom RPC`, { method });
  return rpc(method, params, state, blockNumber);
}
