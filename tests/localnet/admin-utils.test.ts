/**
 * AdminUtils setters (spec §10, §3.7) through real signed extrinsics: origin gate (subnet owner vs root
 * vs stranger), subnet existence, each setter's own precondition, the stored value and the event.
 */
import type { EventRecord } from '../../localnet/runtime/primitives';
import type { StorageItem } from '../../localnet/runtime/storage';
import { st, type SubtensorItems } from '../../localnet/runtime/pallets/subtensor/items';
import { TestChain, type SentResult } from './helpers/test-chain';

const NETUID = 1;
const MISSING = 9;
const OWNER = '//Bob';
const STRANGER = '//Charlie';

let t: TestChain;
beforeAll(async () => {
  t = await TestChain.start();
  await t.addNetwork(NETUID, { tempo: 10, owner: OWNER });
});
afterAll(async () => {
  await t.close();
});

/** The `SubtensorModule` events of a result, as `{ Name: fields }`. */
function subtensorEvents(r: SentResult): unknown[] {
  return r.records.filter((rec: EventRecord) => 'SubtensorModule' in rec.event).map((rec) => rec.event.SubtensorModule);
}

type Gate = 'owner' | 'root';

interface SubnetCase {
  readonly call: string;
  readonly gate: Gate;
  readonly mustExist: boolean;
  readonly arg: string;
  readonly item: (s: SubtensorItems) => StorageItem<[number], unknown>;
  /** Two distinct values to set (the second by root). */
  readonly values: readonly [unknown, unknown];
  readonly event: string | null;
}

const subnetCases: SubnetCase[] = [
  { call: 'sudo_set_serving_rate_limit', gate: 'owner', mustExist: false, arg: 'serving_rate_limit', item: (s) => s.ServingRateLimit, values: [7n, 8n], event: 'ServingRateLimitSet' },
  { call: 'sudo_set_min_difficulty', gate: 'owner', mustExist: true, arg: 'min_difficulty', item: (s) => s.MinDifficulty, values: [11n, 12n], event: 'MinDifficultySet' },
  { call: 'sudo_set_max_difficulty', gate: 'owner', mustExist: true, arg: 'max_difficulty', item: (s) => s.MaxDifficulty, values: [13n, 14n], event: 'MaxDifficultySet' },
  { call: 'sudo_set_weights_version_key', gate: 'owner', mustExist: true, arg: 'weights_version_key', item: (s) => s.WeightsVersionKey, values: [3n, 4n], event: 'WeightsVersionKeySet' },
  { call: 'sudo_set_weights_set_rate_limit', gate: 'owner', mustExist: true, arg: 'weights_set_rate_limit', item: (s) => s.WeightsSetRateLimit, values: [0n, 5n], event: 'WeightsSetRateLimitSet' },
  { call: 'sudo_set_adjustment_interval', gate: 'root', mustExist: true, arg: 'adjustment_interval', item: (s) => s.AdjustmentInterval, values: [17, 18], event: 'AdjustmentIntervalSet' },
  { call: 'sudo_set_adjustment_alpha', gate: 'owner', mustExist: true, arg: 'adjustment_alpha', item: (s) => s.AdjustmentAlpha, values: [19n, 20n], event: 'AdjustmentAlphaSet' },
  { call: 'sudo_set_max_weight_limit', gate: 'owner', mustExist: true, arg: 'max_weight_limit', item: (s) => s.MaxWeightsLimit, values: [21, 22], event: 'MaxWeightLimitSet' },
  { call: 'sudo_set_immunity_period', gate: 'owner', mustExist: true, arg: 'immunity_period', item: (s) => s.ImmunityPeriod, values: [23, 24], event: 'ImmunityPeriodSet' },
  { call: 'sudo_set_min_allowed_weights', gate: 'owner', mustExist: true, arg: 'min_allowed_weights', item: (s) => s.MinAllowedWeights, values: [25, 26], event: 'MinAllowedWeightSet' },
  { call: 'sudo_set_max_allowed_uids', gate: 'root', mustExist: true, arg: 'max_allowed_uids', item: (s) => s.MaxAllowedUids, values: [300, 256], event: 'MaxAllowedUidsSet' },
  { call: 'sudo_set_kappa', gate: 'owner', mustExist: true, arg: 'kappa', item: (s) => s.Kappa, values: [27, 28], event: 'KappaSet' },
  { call: 'sudo_set_rho', gate: 'owner', mustExist: true, arg: 'rho', item: (s) => s.Rho, values: [29, 30], event: null },
  { call: 'sudo_set_activity_cutoff', gate: 'owner', mustExist: true, arg: 'activity_cutoff', item: (s) => s.ActivityCutoff, values: [31, 32], event: 'ActivityCutoffSet' },
  { call: 'sudo_set_network_registration_allowed', gate: 'owner', mustExist: false, arg: 'registration_allowed', item: (s) => s.NetworkRegistrationAllowed, values: [false, true], event: 'RegistrationAllowed' },
  { call: 'sudo_set_network_pow_registration_allowed', gate: 'owner', mustExist: false, arg: 'registration_allowed', item: (s) => s.NetworkPowRegistrationAllowed, values: [true, false], event: 'PowRegistrationAllowed' },
  { call: 'sudo_set_target_registrations_per_interval', gate: 'root', mustExist: true, arg: 'target_registrations_per_interval', item: (s) => s.TargetRegistrationsPerInterval, values: [33, 34], event: 'RegistrationPerIntervalSet' },
  { call: 'sudo_set_min_burn', gate: 'owner', mustExist: true, arg: 'min_burn', item: (s) => s.MinBurn, values: [35n, 36n], event: 'MinBurnSet' },
  { call: 'sudo_set_max_burn', gate: 'owner', mustExist: true, arg: 'max_burn', item: (s) => s.MaxBurn, values: [37n, 38n], event: 'MaxBurnSet' },
  { call: 'sudo_set_difficulty', gate: 'owner', mustExist: true, arg: 'difficulty', item: (s) => s.Difficulty, values: [39n, 40n], event: 'DifficultySet' },
  { call: 'sudo_set_max_allowed_validators', gate: 'root', mustExist: true, arg: 'max_allowed_validators', item: (s) => s.MaxAllowedValidators, values: [41, 42], event: 'MaxAllowedValidatorsSet' },
  { call: 'sudo_set_bonds_moving_average', gate: 'owner', mustExist: true, arg: 'bonds_moving_average', item: (s) => s.BondsMovingAverage, values: [43n, 44n], event: 'BondsMovingAverageSet' },
  { call: 'sudo_set_max_registrations_per_block', gate: 'root', mustExist: true, arg: 'max_registrations_per_block', item: (s) => s.MaxRegistrationsPerBlock, values: [45, 46], event: 'MaxRegistrationsPerBlockSet' },
  { call: 'sudo_set_tempo', gate: 'root', mustExist: true, arg: 'tempo', item: (s) => s.Tempo, values: [47, 48], event: 'TempoSet' },
  { call: 'sudo_set_rao_recycled', gate: 'root', mustExist: true, arg: 'rao_recycled', item: (s) => s.RAORecycledForRegistration, values: [49n, 50n], event: 'RAORecycledForRegistrationSet' },
  { call: 'sudo_set_commit_reveal_weights_enabled', gate: 'owner', mustExist: true, arg: 'enabled', item: (s) => s.CommitRevealWeightsEnabled, values: [true, false], event: null },
  { call: 'sudo_set_liquid_alpha_enabled', gate: 'owner', mustExist: false, arg: 'enabled', item: (s) => s.LiquidAlphaOn, values: [true, false], event: null },
  { call: 'sudo_set_network_max_stake', gate: 'root', mustExist: false, arg: 'max_stake', item: (s) => s.NetworkMaxStake, values: [51n, 52n], event: 'NetworkMaxStakeSet' },
  { call: 'sudo_set_commit_reveal_weights_interval', gate: 'owner', mustExist: true, arg: 'interval', item: (s) => s.RevealPeriodEpochs, values: [53n, 54n], event: null },
];

interface GlobalCase {
  readonly call: string;
  readonly arg: string;
  readonly item: (s: SubtensorItems) => StorageItem<[], unknown>;
  readonly value: unknown;
  readonly event: string | null;
}

const globalCases: GlobalCase[] = [
  { call: 'sudo_set_default_take', arg: 'default_take', item: (s) => s.MaxDelegateTake, value: 9000, event: 'MaxDelegateTakeSet' },
  { call: 'sudo_set_tx_rate_limit', arg: 'tx_rate_limit', item: (s) => s.TxRateLimit, value: 0n, event: 'TxRateLimitSet' },
  { call: 'sudo_set_subnet_owner_cut', arg: 'subnet_owner_cut', item: (s) => s.SubnetOwnerCut, value: 1234, event: 'SubnetOwnerCutSet' },
  { call: 'sudo_set_network_rate_limit', arg: 'rate_limit', item: (s) => s.NetworkRateLimit, value: 0n, event: 'NetworkRateLimitSet' },
  { call: 'sudo_set_total_issuance', arg: 'total_issuance', item: (s) => s.TotalIssuance, value: 123_456_789n, event: null },
  { call: 'sudo_set_network_immunity_period', arg: 'immunity_period', item: (s) => s.NetworkImmunityPeriod, value: 77n, event: 'NetworkImmunityPeriodSet' },
  { call: 'sudo_set_network_min_lock_cost', arg: 'lock_cost', item: (s) => s.NetworkMinLockCost, value: 5_000_000_000n, event: 'NetworkMinLockCostSet' },
  { call: 'sudo_set_subnet_limit', arg: 'max_subnets', item: (s) => s.SubnetLimit, value: 20, event: 'SubnetLimitSet' },
  { call: 'sudo_set_lock_reduction_interval', arg: 'interval', item: (s) => s.NetworkLockReductionInterval, value: 1000n, event: 'NetworkLockCostReductionIntervalSet' },
  { call: 'sudo_set_stake_threshold', arg: 'min_stake', item: (s) => s.StakeThreshold, value: 10n, event: 'StakeThresholdSet' },
  { call: 'sudo_set_tx_delegate_take_rate_limit', arg: 'tx_rate_limit', item: (s) => s.TxDelegateTakeRateLimit, value: 5n, event: 'TxDelegateTakeRateLimitSet' },
  { call: 'sudo_set_min_delegate_take', arg: 'take', item: (s) => s.MinDelegateTake, value: 100, event: 'MinDelegateTakeSet' },
  { call: 'sudo_set_target_stakes_per_interval', arg: 'target_stakes_per_interval', item: (s) => s.TargetStakesPerInterval, value: 3n, event: 'TargetStakesPerIntervalSet' },
  { call: 'sudo_set_hotkey_emission_tempo', arg: 'emission_tempo', item: (s) => s.HotkeyEmissionTempo, value: 3n, event: 'HotkeyEmissionTempoSet' },
  { call: 'sudo_set_coldkey_swap_schedule_duration', arg: 'duration', item: (s) => s.ColdkeySwapScheduleDuration, value: 99, event: 'ColdkeySwapScheduleDurationSet' },
  { call: 'sudo_set_dissolve_network_schedule_duration', arg: 'duration', item: (s) => s.DissolveNetworkScheduleDuration, value: 98, event: 'DissolveNetworkScheduleDurationSet' },
];

describe.each(subnetCases)('$call', (c) => {
  const read = (netuid = NETUID): unknown => t.query(c.item(st()), netuid);
  const args = (value: unknown, netuid = NETUID): Record<string, unknown> => ({ netuid, [c.arg]: value });

  test('error: a stranger gets BadOrigin and nothing changes', async () => {
    const before = read();
    const r = await t.send(STRANGER, 'AdminUtils', c.call, args(c.values[0]));
    expect(r.error).toBe('BadOrigin');
    expect(read()).toEqual(before);
  });

  test(`behavior: the subnet owner ${c.gate === 'owner' ? 'sets it' : 'gets BadOrigin'}`, async () => {
    const before = read();
    const r = await t.send(OWNER, 'AdminUtils', c.call, args(c.values[0]));
    if (c.gate === 'root') {
      expect(r.error).toBe('BadOrigin');
      expect(read()).toEqual(before);
      return;
    }
    expect(r.error).toBeNull();
    expect(read()).toEqual(c.values[0]);
    expect(subtensorEvents(r)).toEqual(c.event ? [{ [c.event]: [NETUID, c.values[0]] }] : []);
  });

  test('default: root sets it and the event carries (netuid, value)', async () => {
    const r = await t.sudo('AdminUtils', c.call, args(c.values[1]));
    expect(r.error).toBeNull();
    expect(read()).toEqual(c.values[1]);
    expect(subtensorEvents(r)).toEqual(c.event ? [{ [c.event]: [NETUID, c.values[1]] }] : []);
  });

  test(`behavior: on a missing subnet ${c.mustExist ? 'it fails with SubnetDoesNotExist' : 'it is stored anyway'}`, async () => {
    const before = read(MISSING);
    const r = await t.sudo('AdminUtils', c.call, args(c.values[0], MISSING));
    if (c.mustExist) {
      expect(r.error).toBe('AdminUtils.SubnetDoesNotExist');
      expect(read(MISSING)).toEqual(before);
    } else {
      expect(r.error).toBeNull();
      expect(read(MISSING)).toEqual(c.values[0]);
    }
  });
});

describe.each(globalCases)('$call', (c) => {
  test('error: the subnet owner and a stranger get BadOrigin', async () => {
    const before = t.query(c.item(st()));
    for (const who of [OWNER, STRANGER]) {
      const r = await t.send(who, 'AdminUtils', c.call, { [c.arg]: c.value });
      expect(r.error).toBe('BadOrigin');
    }
    expect(t.query(c.item(st()))).toEqual(before);
  });

  test('default: root sets it with its event', async () => {
    const r = await t.sudo('AdminUtils', c.call, { [c.arg]: c.value });
    expect(r.error).toBeNull();
    expect(t.query(c.item(st()))).toEqual(c.value);
    expect(subtensorEvents(r)).toEqual(c.event ? [{ [c.event]: c.value }] : []);
  });
});

describe('preconditions', () => {
  test('error: max_allowed_uids must exceed the current number of uids', async () => {
    await t.setStorage(st().SubnetworkN, NETUID, 3);
    const equal = await t.sudo('AdminUtils', 'sudo_set_max_allowed_uids', { netuid: NETUID, max_allowed_uids: 3 });
    expect(equal.error).toBe('AdminUtils.MaxAllowedUIdsLessThanCurrentUIds');
    const ok = await t.sudo('AdminUtils', 'sudo_set_max_allowed_uids', { netuid: NETUID, max_allowed_uids: 4 });
    expect(ok.error).toBeNull();
    expect(t.query(st().MaxAllowedUids, NETUID)).toBe(4);
    await t.setStorage(st().SubnetworkN, NETUID, 0);
  });

  test('error: max_allowed_validators may not exceed max_allowed_uids', async () => {
    await t.sudo('AdminUtils', 'sudo_set_max_allowed_uids', { netuid: NETUID, max_allowed_uids: 10 });
    const over = await t.sudo('AdminUtils', 'sudo_set_max_allowed_validators', { netuid: NETUID, max_allowed_validators: 11 });
    expect(over.error).toBe('AdminUtils.MaxValidatorsLargerThanMaxUIds');
    const equal = await t.sudo('AdminUtils', 'sudo_set_max_allowed_validators', { netuid: NETUID, max_allowed_validators: 10 });
    expect(equal.error).toBeNull();
    expect(t.query(st().MaxAllowedValidators, NETUID)).toBe(10);
  });

  test('error: the existence check comes after the origin check', async () => {
    const r = await t.send(OWNER, 'AdminUtils', 'sudo_set_kappa', { netuid: MISSING, kappa: 1 });
    expect(r.error).toBe('BadOrigin');
  });
});

describe('sudo_set_alpha_values (§3.7)', () => {
  const set = (who: string, alpha_low: number, alpha_high: number): Promise<SentResult> => t.send(who, 'AdminUtils', 'sudo_set_alpha_values', { netuid: NETUID, alpha_low, alpha_high });

  test('error: LiquidAlphaDisabled while liquid alpha is off', async () => {
    await t.sudo('AdminUtils', 'sudo_set_liquid_alpha_enabled', { netuid: NETUID, enabled: false });
    expect((await set(OWNER, 1000, 60000)).error).toBe('SubtensorModule.LiquidAlphaDisabled');
  });

  test('error: a stranger gets BadOrigin; root too (do_set_alpha_values requires a signed origin)', async () => {
    await t.send(OWNER, 'AdminUtils', 'sudo_set_liquid_alpha_enabled', { netuid: NETUID, enabled: true });
    expect((await set(STRANGER, 1000, 60000)).error).toBe('BadOrigin');
    const root = await t.sudo('AdminUtils', 'sudo_set_alpha_values', { netuid: NETUID, alpha_low: 1000, alpha_high: 60000 });
    expect(root.error).toBe('BadOrigin');
    expect(t.query(st().AlphaValues, NETUID)).toEqual([45875, 58982]);
  });

  test('error: alpha_high below 52428 is AlphaHighTooLow, checked before alpha_low', async () => {
    expect((await set(OWNER, 0, 52427)).error).toBe('SubtensorModule.AlphaHighTooLow');
  });

  test('error: alpha_low must lie in 1..52427', async () => {
    expect((await set(OWNER, 0, 60000)).error).toBe('SubtensorModule.AlphaLowOutOfRange');
    expect((await set(OWNER, 52428, 60000)).error).toBe('SubtensorModule.AlphaLowOutOfRange');
  });

  test('default: the owner stores (low, high) without an event', async () => {
    const r = await set(OWNER, 52427, 52428);
    expect(r.error).toBeNull();
    expect(t.query(st().AlphaValues, NETUID)).toEqual([52427, 52428]);
    expect(subtensorEvents(r)).toEqual([]);
  });
});

test('error: calls localnet leaves out are refused at submission', async () => {
  const bytes = t.extrinsic('//Alice', 'AdminUtils', 'sudo_set_nominator_min_required_stake', { min_stake: 1n });
  await expect(t.chain.submitExtrinsic(bytes)).rejects.toThrow('localnet does not implement AdminUtils.sudo_set_nominator_min_required_stake');
});
