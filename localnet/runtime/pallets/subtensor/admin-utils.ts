/**
 * The AdminUtils pallet (index 19): hyperparameter setters (spec §10, the "Setter" column; §3.7 for
 * `sudo_set_alpha_values`). "owner" setters accept root or the subnet owner's coldkey
 * (`ensure_subnet_owner_or_root`), "root" setters only root; everything else is `BadOrigin`. The origin
 * is checked first, then subnet existence (`AdminUtils.SubnetDoesNotExist`) where the pallet checks it,
 * then the setter's own precondition. Each setter writes one storage item and deposits the
 * `SubtensorModule` event the pallet's setter deposits — some deposit none (`set_rho`,
 * `set_commit_reveal_weights_enabled`, `set_liquid_alpha_enabled`, `set_reveal_period`,
 * `set_total_issuance`, alpha values), even where the metadata declares one (`RhoSet`).
 *
 * Not implemented (they fail as unimplemented calls): `swap_authorities` and `schedule_grandpa_change`
 * (Aura/Grandpa, not subtensor), `sudo_set_evm_chain_id` (EVM), and
 * `sudo_set_nominator_min_required_stake`, whose clearing of small nominations the spec leaves
 * undefined.
 */
import type { RuntimeContext } from '../../context';
import type { CallHandler, CallTable } from '../../dispatch';
import { badOrigin, moduleError, type DispatchError } from '../../errors';
import type { Origin } from '../../primitives';
import type { StorageItem } from '../../storage';
import { ensureRoot, ensureSigned } from '../system';
import { networkExists, stErr } from './common';
import { st, type SubtensorItems } from './items';

/** Who may call a setter (spec §10 "Setter" column). */
type Gate = 'owner' | 'root';

/** `⌊0.8 · 65535⌋`: the lowest `alpha_high` and the bound `alpha_low` must stay under (§3.7). */
export const MIN_ALPHA_HIGH = 52428;

/** An `AdminUtils` pallet error by its metadata name. */
function adminErr(name: string, detail?: string): DispatchError {
  return moduleError('AdminUtils', name, detail);
}

/** `ensure_subnet_owner_or_root`: root, or a signed origin equal to `SubnetOwner[netuid]`. */
function ensureOwnerOrRoot(ctx: RuntimeContext, origin: Origin, netuid: number): void {
  if (origin.kind === 'root') return;
  if (origin.kind === 'signed' && st().SubnetOwner.get(ctx.state, netuid) === origin.who) return;
  throw badOrigin(`only root or the owner of subnet ${netuid} may call this`);
}

function ensureGate(ctx: RuntimeContext, origin: Origin, gate: Gate, netuid: number): void {
  if (gate === 'root') ensureRoot(origin);
  else ensureOwnerOrRoot(ctx, origin, netuid);
}

function ensureSubnetExists(ctx: RuntimeContext, netuid: number): void {
  if (!networkExists(ctx, netuid)) throw adminErr('SubnetDoesNotExist', `netuid ${netuid} does not exist`);
}

/** Deposits `SubtensorModule.<name>` with `fields` (an array for several unnamed fields, else the value). */
function deposit(ctx: RuntimeContext, name: string, fields: unknown): void {
  ctx.deposit({ SubtensorModule: { [name]: fields } });
}

/** How one per-subnet setter behaves. */
interface SubnetSetterSpec<V> {
  readonly gate: Gate;
  /** Whether the call checks that the subnet exists (after the origin). */
  readonly mustExist: boolean;
  /** The value's argument name in the metadata. */
  readonly arg: string;
  /** Picks the item from the pallet's storage handles. */
  readonly item: (items: SubtensorItems) => StorageItem<[number], V>;
  /** The `(netuid, value)` event the pallet's setter deposits, or null where it deposits none. */
  readonly event: string | null;
  /** A further precondition, checked after existence. */
  readonly check?: (ctx: RuntimeContext, netuid: number, value: V) => void;
}

/** A setter of one per-subnet item: origin, existence, own check, write, event. */
function subnetSetter<V>(spec: SubnetSetterSpec<V>): CallHandler {
  return (ctx, origin, args) => {
    const netuid = args.netuid as number;
    const value = args[spec.arg] as V;
    ensureGate(ctx, origin, spec.gate, netuid);
    if (spec.mustExist) ensureSubnetExists(ctx, netuid);
    spec.check?.(ctx, netuid, value);
    spec.item(st()).set(ctx.state, netuid, value);
    if (spec.event) deposit(ctx, spec.event, [netuid, value]);
  };
}

/** A root-only setter of one global item, with its single-field event (null: none). */
function globalSetter<V>(arg: string, item: (items: SubtensorItems) => StorageItem<[], V>, event: string | null): CallHandler {
  return (ctx, origin, args) => {
    ensureRoot(origin);
    const value = args[arg] as V;
    item(st()).set(ctx.state, value);
    if (event) deposit(ctx, event, value);
  };
}

/** `sudo_set_max_allowed_uids` precondition (§10: "> current n"). */
function moreThanCurrentUids(ctx: RuntimeContext, netuid: number, maxUids: number): void {
  const n = st().SubnetworkN.get(ctx.state, netuid);
  if (!(n < maxUids)) throw adminErr('MaxAllowedUIdsLessThanCurrentUIds', `subnet ${netuid} has ${n} uids, max_allowed_uids ${maxUids}`);
}

/** `sudo_set_max_allowed_validators` precondition (§10: "≤ max uids"). */
function atMostMaxUids(ctx: RuntimeContext, netuid: number, maxValidators: number): void {
  const maxUids = st().MaxAllowedUids.get(ctx.state, netuid);
  if (maxValidators > maxUids) throw adminErr('MaxValidatorsLargerThanMaxUIds', `max_allowed_validators ${maxValidators} > max_allowed_uids ${maxUids}`);
}

/**
 * `sudo_set_alpha_values(netuid, alpha_low, alpha_high)` (call 51, spec §3.7): owner or root at the
 * AdminUtils gate, but the pallet's `do_set_alpha_values` then requires a signed origin, so on the PRE
 * runtime only the subnet owner succeeds (root gets `BadOrigin`). Needs liquid alpha enabled
 * (`LiquidAlphaDisabled`), `alpha_high ≥ 52428` (`AlphaHighTooLow`), `0 < alpha_low < 52428`
 * (`AlphaLowOutOfRange`). Stores `AlphaValues = (low, high)`; no event.
 */
const setAlphaValues: CallHandler = (ctx, origin, args) => {
  const { netuid, alpha_low: low, alpha_high: high } = args as { netuid: number; alpha_low: number; alpha_high: number };
  ensureOwnerOrRoot(ctx, origin, netuid);
  ensureSigned(origin);
  if (!st().LiquidAlphaOn.get(ctx.state, netuid)) throw stErr('LiquidAlphaDisabled', `liquid alpha is off on subnet ${netuid}`);
  if (high < MIN_ALPHA_HIGH) throw stErr('AlphaHighTooLow', `alpha_high ${high} < ${MIN_ALPHA_HIGH}`);
  if (low === 0 || low >= MIN_ALPHA_HIGH) throw stErr('AlphaLowOutOfRange', `alpha_low ${low} not in 1..${MIN_ALPHA_HIGH - 1}`);
  st().AlphaValues.set(ctx.state, netuid, [low, high]);
};

/** The AdminUtils call table, by metadata call name. */
export const adminUtilsCalls: CallTable = {
  /** 1, root: `MaxDelegateTake` (the default take, §10 Global). */
  sudo_set_default_take: globalSetter('default_take', (s) => s.MaxDelegateTake, 'MaxDelegateTakeSet'),
  /** 2, root: `TxRateLimit` (§10 Global). */
  sudo_set_tx_rate_limit: globalSetter('tx_rate_limit', (s) => s.TxRateLimit, 'TxRateLimitSet'),
  /** 3, owner: `ServingRateLimit` (§10); no existence check. */
  sudo_set_serving_rate_limit: subnetSetter({ gate: 'owner', mustExist: false, arg: 'serving_rate_limit', item: (s) => s.ServingRateLimit, event: 'ServingRateLimitSet' }),
  /** 4, owner: `MinDifficulty` (§10). */
  sudo_set_min_difficulty: subnetSetter({ gate: 'owner', mustExist: true, arg: 'min_difficulty', item: (s) => s.MinDifficulty, event: 'MinDifficultySet' }),
  /** 5, owner: `MaxDifficulty` (§10). */
  sudo_set_max_difficulty: subnetSetter({ gate: 'owner', mustExist: true, arg: 'max_difficulty', item: (s) => s.MaxDifficulty, event: 'MaxDifficultySet' }),
  /** 6, owner: `WeightsVersionKey` (§10). */
  sudo_set_weights_version_key: subnetSetter({ gate: 'owner', mustExist: true, arg: 'weights_version_key', item: (s) => s.WeightsVersionKey, event: 'WeightsVersionKeySet' }),
  /** 7, owner: `WeightsSetRateLimit` (§10). */
  sudo_set_weights_set_rate_limit: subnetSetter({ gate: 'owner', mustExist: true, arg: 'weights_set_rate_limit', item: (s) => s.WeightsSetRateLimit, event: 'WeightsSetRateLimitSet' }),
  /** 8, root: `AdjustmentInterval` (§10). */
  sudo_set_adjustment_interval: subnetSetter({ gate: 'root', mustExist: true, arg: 'adjustment_interval', item: (s) => s.AdjustmentInterval, event: 'AdjustmentIntervalSet' }),
  /** 9, owner: `AdjustmentAlpha` (§10). */
  sudo_set_adjustment_alpha: subnetSetter({ gate: 'owner', mustExist: true, arg: 'adjustment_alpha', item: (s) => s.AdjustmentAlpha, event: 'AdjustmentAlphaSet' }),
  /** 12, owner: `MaxWeightsLimit` (§10). */
  sudo_set_max_weight_limit: subnetSetter({ gate: 'owner', mustExist: true, arg: 'max_weight_limit', item: (s) => s.MaxWeightsLimit, event: 'MaxWeightLimitSet' }),
  /** 13, owner: `ImmunityPeriod` (§10). */
  sudo_set_immunity_period: subnetSetter({ gate: 'owner', mustExist: true, arg: 'immunity_period', item: (s) => s.ImmunityPeriod, event: 'ImmunityPeriodSet' }),
  /** 14, owner: `MinAllowedWeights` (§10). */
  sudo_set_min_allowed_weights: subnetSetter({ gate: 'owner', mustExist: true, arg: 'min_allowed_weights', item: (s) => s.MinAllowedWeights, event: 'MinAllowedWeightSet' }),
  /** 15, root: `MaxAllowedUids`, which must exceed the current `SubnetworkN` (§10). */
  sudo_set_max_allowed_uids: subnetSetter({ gate: 'root', mustExist: true, arg: 'max_allowed_uids', item: (s) => s.MaxAllowedUids, event: 'MaxAllowedUidsSet', check: moreThanCurrentUids }),
  /** 16, owner: `Kappa` (§10). */
  sudo_set_kappa: subnetSetter({ gate: 'owner', mustExist: true, arg: 'kappa', item: (s) => s.Kappa, event: 'KappaSet' }),
  /** 17, owner: `Rho` (§10); the pallet's `set_rho` deposits no event. */
  sudo_set_rho: subnetSetter({ gate: 'owner', mustExist: true, arg: 'rho', item: (s) => s.Rho, event: null }),
  /** 18, owner: `ActivityCutoff` (§10). */
  sudo_set_activity_cutoff: subnetSetter({ gate: 'owner', mustExist: true, arg: 'activity_cutoff', item: (s) => s.ActivityCutoff, event: 'ActivityCutoffSet' }),
  /** 19, owner: `NetworkRegistrationAllowed` (§10); no existence check. */
  sudo_set_network_registration_allowed: subnetSetter({ gate: 'owner', mustExist: false, arg: 'registration_allowed', item: (s) => s.NetworkRegistrationAllowed, event: 'RegistrationAllowed' }),
  /** 20, owner: `NetworkPowRegistrationAllowed` (§10); no existence check. */
  sudo_set_network_pow_registration_allowed: subnetSetter({ gate: 'owner', mustExist: false, arg: 'registration_allowed', item: (s) => s.NetworkPowRegistrationAllowed, event: 'PowRegistrationAllowed' }),
  /** 21, root: `TargetRegistrationsPerInterval` (§10). */
  sudo_set_target_registrations_per_interval: subnetSetter({ gate: 'root', mustExist: true, arg: 'target_registrations_per_interval', item: (s) => s.TargetRegistrationsPerInterval, event: 'RegistrationPerIntervalSet' }),
  /** 22, owner: `MinBurn` (§10). */
  sudo_set_min_burn: subnetSetter({ gate: 'owner', mustExist: true, arg: 'min_burn', item: (s) => s.MinBurn, event: 'MinBurnSet' }),
  /** 23, owner: `MaxBurn` (§10). */
  sudo_set_max_burn: subnetSetter({ gate: 'owner', mustExist: true, arg: 'max_burn', item: (s) => s.MaxBurn, event: 'MaxBurnSet' }),
  /** 24, owner: `Difficulty` (§10). */
  sudo_set_difficulty: subnetSetter({ gate: 'owner', mustExist: true, arg: 'difficulty', item: (s) => s.Difficulty, event: 'DifficultySet' }),
  /** 25, root: `MaxAllowedValidators`, at most `MaxAllowedUids` (§10). */
  sudo_set_max_allowed_validators: subnetSetter({ gate: 'root', mustExist: true, arg: 'max_allowed_validators', item: (s) => s.MaxAllowedValidators, event: 'MaxAllowedValidatorsSet', check: atMostMaxUids }),
  /** 26, owner: `BondsMovingAverage` (§10). */
  sudo_set_bonds_moving_average: subnetSetter({ gate: 'owner', mustExist: true, arg: 'bonds_moving_average', item: (s) => s.BondsMovingAverage, event: 'BondsMovingAverageSet' }),
  /** 27, root: `MaxRegistrationsPerBlock` (§10). */
  sudo_set_max_registrations_per_block: subnetSetter({ gate: 'root', mustExist: true, arg: 'max_registrations_per_block', item: (s) => s.MaxRegistrationsPerBlock, event: 'MaxRegistrationsPerBlockSet' }),
  /** 28, root: `SubnetOwnerCut` (§10 Global). */
  sudo_set_subnet_owner_cut: globalSetter('subnet_owner_cut', (s) => s.SubnetOwnerCut, 'SubnetOwnerCutSet'),
  /** 29, root: `NetworkRateLimit` (§10 Global). */
  sudo_set_network_rate_limit: globalSetter('rate_limit', (s) => s.NetworkRateLimit, 'NetworkRateLimitSet'),
  /** 30, root: `Tempo` (§10). */
  sudo_set_tempo: subnetSetter({ gate: 'root', mustExist: true, arg: 'tempo', item: (s) => s.Tempo, event: 'TempoSet' }),
  /** 33, root: subtensor's `TotalIssuance` (§5); no event. */
  sudo_set_total_issuance: globalSetter('total_issuance', (s) => s.TotalIssuance, null),
  /** 35, root: `NetworkImmunityPeriod` (§10 Global). */
  sudo_set_network_immunity_period: globalSetter('immunity_period', (s) => s.NetworkImmunityPeriod, 'NetworkImmunityPeriodSet'),
  /** 36, root: `NetworkMinLockCost` (§10 Global). */
  sudo_set_network_min_lock_cost: globalSetter('lock_cost', (s) => s.NetworkMinLockCost, 'NetworkMinLockCostSet'),
  /** 37, root: `SubnetLimit` (§10 Global). */
  sudo_set_subnet_limit: globalSetter('max_subnets', (s) => s.SubnetLimit, 'SubnetLimitSet'),
  /** 38, root: `NetworkLockReductionInterval` (§10 Global). */
  sudo_set_lock_reduction_interval: globalSetter('interval', (s) => s.NetworkLockReductionInterval, 'NetworkLockCostReductionIntervalSet'),
  /** 39, root: `RAORecycledForRegistration` (§11.2). */
  sudo_set_rao_recycled: subnetSetter({ gate: 'root', mustExist: true, arg: 'rao_recycled', item: (s) => s.RAORecycledForRegistration, event: 'RAORecycledForRegistrationSet' }),
  /** 42, root: `StakeThreshold` (§10 Global). */
  sudo_set_stake_threshold: globalSetter('min_stake', (s) => s.StakeThreshold, 'StakeThresholdSet'),
  /** 45, root: `TxDelegateTakeRateLimit` (§10 Global). */
  sudo_set_tx_delegate_take_rate_limit: globalSetter('tx_rate_limit', (s) => s.TxDelegateTakeRateLimit, 'TxDelegateTakeRateLimitSet'),
  /** 46, root: `MinDelegateTake` (§10 Global). */
  sudo_set_min_delegate_take: globalSetter('take', (s) => s.MinDelegateTake, 'MinDelegateTakeSet'),
  /** 47, root: `TargetStakesPerInterval` (§10 Global). */
  sudo_set_target_stakes_per_interval: globalSetter('target_stakes_per_interval', (s) => s.TargetStakesPerInterval, 'TargetStakesPerIntervalSet'),
  /** 49, owner: `CommitRevealWeightsEnabled` (§10); no event. */
  sudo_set_commit_reveal_weights_enabled: subnetSetter({ gate: 'owner', mustExist: true, arg: 'enabled', item: (s) => s.CommitRevealWeightsEnabled, event: null }),
  /** 50, owner: `LiquidAlphaOn` (§10, §3.7); no existence check, no event. */
  sudo_set_liquid_alpha_enabled: subnetSetter({ gate: 'owner', mustExist: false, arg: 'enabled', item: (s) => s.LiquidAlphaOn, event: null }),
  /** 51: `AlphaValues` (§3.7). */
  sudo_set_alpha_values: setAlphaValues,
  /** 52, root: `HotkeyEmissionTempo` (§10 Global). */
  sudo_set_hotkey_emission_tempo: globalSetter('emission_tempo', (s) => s.HotkeyEmissionTempo, 'HotkeyEmissionTempoSet'),
  /** 53, root: `NetworkMaxStake` (§10); no existence check. */
  sudo_set_network_max_stake: subnetSetter({ gate: 'root', mustExist: false, arg: 'max_stake', item: (s) => s.NetworkMaxStake, event: 'NetworkMaxStakeSet' }),
  /** 54, root: `ColdkeySwapScheduleDuration` (§10 Global). */
  sudo_set_coldkey_swap_schedule_duration: globalSetter('duration', (s) => s.ColdkeySwapScheduleDuration, 'ColdkeySwapScheduleDurationSet'),
  /** 55, root: `DissolveNetworkScheduleDuration` (§10 Global). */
  sudo_set_dissolve_network_schedule_duration: globalSetter('duration', (s) => s.DissolveNetworkScheduleDuration, 'DissolveNetworkScheduleDurationSet'),
  /** 57, owner: `RevealPeriodEpochs` ("commit_reveal_weights_interval", §10, §7.2); no event. */
  sudo_set_commit_reveal_weights_interval: subnetSetter({ gate: 'owner', mustExist: true, arg: 'interval', item: (s) => s.RevealPeriodEpochs, event: null }),
};
