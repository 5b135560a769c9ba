/**
 * The subnet epoch as `run_coinbase` runs it (spec §3): Yuma consensus on the subnet's storage.
 * The math is `consensus/yuma.ts`; this module reads its inputs from storage (§3.1) and writes the
 * outputs back exactly as the chain does (§3.9).
 */
import type { SparseU16Row, YumaEpochInput, YumaEpochOutput } from '../../../../consensus/types';
import { yumaEpoch } from '../../../../consensus/yuma';
import type { RuntimeContext } from '../../context';
import type { StateReader } from '../../../state/types';
import type { AccountId } from '../../primitives';
import type { StorageItem } from '../../storage';
import { stakeOnSubnet } from './common';
import { st } from './items';

/** One uid's payout from an epoch: `(hotkey, server_emission, validator_emission)` of the chain. */
export interface HotkeyEpochEmission {
  readonly uid: number;
  readonly hotkey: AccountId;
  /** Miner (incentive) part, rao. */
  readonly server: bigint;
  /** Validator (dividends) part, rao. */
  readonly validator: bigint;
  /** `stake_on_subnet(hotkey, netuid)` the epoch used (accumulation needs the same value). */
  readonly stake: bigint;
  /** Whether `ParentKeys[hotkey][netuid]` may be non-empty (false: it is certainly empty). */
  readonly hasParents: boolean;
}

/** The epoch's inputs as read from storage, plus each uid's hotkey (`undefined`: no `Keys` entry). */
export interface SubnetEpochInput {
  readonly input: YumaEpochInput;
  readonly hotkeys: ReadonlyArray<AccountId | undefined>;
  /** Hotkeys with a `ParentKeys` entry on the subnet. */
  readonly parented: ReadonlySet<AccountId>;
}

/** Hotkeys that have a `ChildKeys` or `ParentKeys` entry on `netuid` (one key scan of each map, usually tiny). */
function childKeyHotkeys(ctx: RuntimeContext, netuid: number): { related: Set<AccountId>; parented: Set<AccountId> } {
  const s = st();
  const related = new Set<AccountId>();
  const parented = new Set<AccountId>();
  for (const [hotkey, n] of s.ChildKeys.keys(ctx.state)) if (n === netuid) related.add(hotkey);
  for (const [hotkey, n] of s.ParentKeys.keys(ctx.state)) {
    if (n !== netuid) continue;
    related.add(hotkey);
    parented.add(hotkey);
  }
  return { related, parented };
}

/**
 * `stake_on_subnet` of every uid's hotkey. Without child-key entries it reduces to
 * `min(TotalHotkeyStake, NetworkMaxStake)`, read without hashing two map keys per uid.
 */
function subnetStakes(ctx: RuntimeContext, netuid: number, hotkeys: ReadonlyArray<AccountId | undefined>, related: ReadonlySet<AccountId>): bigint[] {
  const s = st();
  const cap = s.NetworkMaxStake.get(ctx.state, netuid);
  return hotkeys.map((hotkey) => {
    if (hotkey === undefined) return 0n;
    if (related.has(hotkey)) return stakeOnSubnet(ctx, hotkey, netuid);
    const own = s.TotalHotkeyStake.get(ctx.state, hotkey);
    return own < cap ? own : cap;
  });
}

/** `item[netuid][uid]` when stored, else `undefined` (no metadata default), reading the raw key once. */
function storedOrUndefined<V>(view: StateReader, item: StorageItem<[number, number], V>, netuid: number, uid: number): V | undefined {
  const bytes = view.get(item.key(netuid, uid));
  return bytes === null ? undefined : item.valueCodec.decodeAll(bytes);
}

/** A stored per-uid vector brought to length n (the chain keeps them at n; `fill` covers gaps). */
function fitted<T>(vec: readonly T[], n: number, fill: T): T[] {
  const out = vec.slice(0, n);
  while (out.length < n) out.push(fill);
  return out;
}

/**
 * `Weights`/`Bonds` rows of uids below n, one prefix scan per item; entries naming a uid ≥ n are
 * dropped (spec §3.1: `get_weights_sparse` ignores them).
 */
function sparseRows(entries: ReadonlyArray<[[number, number], [number, number][]]>, n: number): SparseU16Row[] {
  const rows: SparseU16Row[] = Array.from({ length: n }, () => []);
  for (const [[, uid], row] of entries) {
    if (uid >= n) continue;
    rows[uid] = row.some(([dest]) => dest >= n) ? row.filter(([dest]) => dest < n) : row;
  }
  return rows;
}

/**
 * Reads everything `epoch(netuid, emission)` reads at the current block (spec §3.1): each per-uid
 * vector once, `Weights`/`Bonds` by one prefix scan each, `Keys`/`BlockAtRegistration` per uid, the
 * child-adjusted stake of every keyed uid, and the hyperparameters.
 */
export function readSubnetEpochInput(ctx: RuntimeContext, netuid: number, emission: bigint): SubnetEpochInput {
  const s = st();
  const view = ctx.state;
  const n = s.SubnetworkN.get(view, netuid);

  const hotkeys = Array.from({ length: n }, (_, uid) => storedOrUndefined(view, s.Keys, netuid, uid));
  const { related, parented } = childKeyHotkeys(ctx, netuid);
  const stake = subnetStakes(ctx, netuid, hotkeys, related);

  const blockAtRegistration = Array.from({ length: n }, (_, uid) => Number(storedOrUndefined(view, s.BlockAtRegistration, netuid, uid) ?? 0n));

  const [alphaLow, alphaHigh] = s.AlphaValues.get(view, netuid);
  const input: YumaEpochInput = {
    n,
    block: ctx.block.number,
    stake,
    weights: sparseRows(s.Weights.entries(view, netuid), n),
    bonds: sparseRows(s.Bonds.entries(view, netuid), n),
    lastUpdate: fitted(s.LastUpdate.get(view, netuid), n, 0n).map(Number),
    blockAtRegistration,
    validatorPermit: fitted(s.ValidatorPermit.get(view, netuid), n, false),
    emission,
    hyperparameters: {
      kappa: s.Kappa.get(view, netuid),
      bondsMovingAverage: s.BondsMovingAverage.get(view, netuid),
      activityCutoff: s.ActivityCutoff.get(view, netuid),
      maxAllowedValidators: s.MaxAllowedValidators.get(view, netuid),
      liquidAlphaEnabled: s.LiquidAlphaOn.get(view, netuid),
      alphaLow,
      alphaHigh,
    },
  };
  return { input, hotkeys, parented };
}

/**
 * Writes an epoch's results (spec §3.9): the per-uid vectors, and the `Bonds` rows — the full row for
 * a uid holding a new permit, an empty row for one that lost its permit, nothing otherwise.
 */
export function writeSubnetEpochOutput(ctx: RuntimeContext, netuid: number, out: YumaEpochOutput, oldPermit: readonly boolean[]): void {
  const s = st();
  const view = ctx.state;
  s.StakeWeight.set(view, netuid, out.stakeWeight);
  s.Active.set(view, netuid, out.active);
  s.Emission.set(view, netuid, out.emission);
  s.Rank.set(view, netuid, out.rank);
  s.Trust.set(view, netuid, out.trust);
  s.Consensus.set(view, netuid, out.consensus);
  s.Incentive.set(view, netuid, out.incentive);
  s.Dividends.set(view, netuid, out.dividends);
  s.PruningScores.set(view, netuid, out.pruningScores);
  s.ValidatorTrust.set(view, netuid, out.validatorTrust);
  s.ValidatorPermit.set(view, netuid, out.validatorPermit);
  for (let uid = 0; uid < out.validatorPermit.length; uid++) {
    if (out.validatorPermit[uid]) s.Bonds.set(view, netuid, uid, out.bonds.row(uid) as [number, number][]);
    else if (oldPermit[uid]) s.Bonds.set(view, netuid, uid, []);
  }
}

/**
 * `epoch(netuid, emission)` (spec §3): runs Yuma consensus on the subnet's stored state, stores the
 * results, and returns the payout of every uid that has a hotkey, in ascending uid order.
 */
export function runSubnetEpoch(ctx: RuntimeContext, netuid: number, emission: bigint): HotkeyEpochEmission[] {
  const { input, hotkeys, parented } = readSubnetEpochInput(ctx, netuid, emission);
  const out = yumaEpoch(input);
  writeSubnetEpochOutput(ctx, netuid, out, input.validatorPermit);
  const payouts: HotkeyEpochEmission[] = [];
  hotkeys.forEach((hotkey, uid) => {
    if (hotkey === undefined) return;
    payouts.push({ uid, hotkey, server: out.serverEmission[uid]!, validator: out.validatorEmission[uid]!, stake: input.stake[uid]!, hasParents: parented.has(hotkey) });
  });
  return payouts;
}
