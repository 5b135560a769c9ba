/**
 * Inputs and outputs of the chain's consensus functions, shaped like subtensor's storage
 * (upstream: opentensor/subtensor, pallets/subtensor/src/epoch, before dynamic TAO). Integers that the chain keeps as u64
 * (stake, emission, rao) are `bigint`; u16 values and block numbers are `number`.
 */

import type { SparseU16Matrix } from './sparse';

/** A sparse row of `[destination, u16 value]` pairs, exactly as subtensor stores `Weights`/`Bonds` rows. */
export type SparseU16Row = ReadonlyArray<readonly [dest: number, value: number]>;

/** The subnet hyperparameters one Yuma epoch reads (raw storage values). */
export interface YumaHyperparameters {
  /** `Kappa`, a u16 proportion of 65535 (the consensus majority). @default 32767 */
  readonly kappa: number;
  /** `BondsMovingAverage`, u64 parts per million; the EMA weight of the new ΔB is 1 − bma/1e6. @default 900000n */
  readonly bondsMovingAverage: bigint;
  /** `ActivityCutoff` in blocks (u16). @default 5000 */
  readonly activityCutoff: number;
  /** `MaxAllowedValidators` (u16): how many uids hold validator permits. @default 64 */
  readonly maxAllowedValidators: number;
  /** `LiquidAlphaOn`. @default false */
  readonly liquidAlphaEnabled: boolean;
  /** `AlphaValues.0`, u16 proportion of 65535. @default 45875 */
  readonly alphaLow: number;
  /** `AlphaValues.1`, u16 proportion of 65535. @default 58982 */
  readonly alphaHigh: number;
}

/** Everything a subnet epoch at block `block` reads (the state at the end of block `block − 1`). */
export interface YumaEpochInput {
  /** `SubnetworkN`: uids are 0..n−1. */
  readonly n: number;
  /** The block whose `on_initialize` runs the epoch. */
  readonly block: number;
  /** Stake per uid in rao (u64), already child-adjusted and capped as `stake_on_subnet` returns it. */
  readonly stake: readonly bigint[];
  /** `Weights[netuid][uid]` per uid (u16, as stored: rows max-upscaled). */
  readonly weights: readonly SparseU16Row[];
  /** `Bonds[netuid][uid]` per uid before the epoch. */
  readonly bonds: readonly SparseU16Row[];
  /** `LastUpdate` per uid (block of the last weight set / commit). */
  readonly lastUpdate: readonly number[];
  /** `BlockAtRegistration` per uid. */
  readonly blockAtRegistration: readonly number[];
  /** `ValidatorPermit` per uid as written by the previous epoch (the masks use these). */
  readonly validatorPermit: readonly boolean[];
  /** Rao this epoch distributes (pending emission after the owner cut). */
  readonly emission: bigint;
  readonly hyperparameters: YumaHyperparameters;
}

/** What the chain stores after the epoch, plus the per-uid emission split it pays out. */
export interface YumaEpochOutput {
  /** `Rank` (u16); equal to `Incentive` in the pre-dTAO runtime. */
  readonly rank: number[];
  readonly trust: number[];
  readonly consensus: number[];
  readonly incentive: number[];
  readonly dividends: number[];
  readonly validatorTrust: number[];
  readonly pruningScores: number[];
  readonly stakeWeight: number[];
  readonly active: boolean[];
  /** New permits (step 3); they only affect bond storage now and the masks of the next epoch. */
  readonly validatorPermit: boolean[];
  /**
   * `Bonds` rows after the epoch: rewritten for uids with a new permit, emptied for a lost permit, else
   * unchanged. Compact CSR (`bonds.row(i)` / `bonds.toRows()` give `[uid, u16]` pairs).
   */
  readonly bonds: SparseU16Matrix;
  /** Combined emission per uid (rao) — the `Emission` storage vector. */
  readonly emission: bigint[];
  /** Miner (incentive) part per uid, rao. */
  readonly serverEmission: bigint[];
  /** Validator (dividends) part per uid, rao. */
  readonly validatorEmission: bigint[];
}

/** The root network epoch's inputs (spec §4.1). */
export interface RootEpochInput {
  /** `TotalHotkeyStake` of each root uid's hotkey, rao. */
  readonly stake: readonly bigint[];
  /** `Weights[0][uid]`: sparse `[netuid, u16]` rows. Entries naming a netuid not in `networks` are ignored. */
  readonly weights: readonly SparseU16Row[];
  /** Netuids in `NetworksAdded` iteration order, including the root network 0. */
  readonly networks: readonly number[];
  /** `get_block_emission()` at this block, rao. */
  readonly blockEmission: bigint;
  /** `Kappa[0]`, u16 proportion of 65535. */
  readonly kappa: number;
  /** `Rho[0]`, an integer steepness. */
  readonly rho: number;
}

/** `EmissionValues[netuid]` (rao per block) for every netuid of the input, in input order. */
export interface RootEpochOutput {
  readonly emissionValues: ReadonlyArray<readonly [netuid: number, rao: bigint]>;
}

export const DEFAULT_YUMA_HYPERPARAMETERS: YumaHyperparameters = Object.freeze({
  kappa: 32767,
  bondsMovingAverage: 900_000n,
  activityCutoff: 5000,
  maxAllowedValidators: 64,
  liquidAlphaEnabled: false,
  alphaLow: 45875,
  alphaHigh: 58982,
});
