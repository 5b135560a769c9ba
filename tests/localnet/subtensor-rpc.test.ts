/**
 * The subtensor custom RPC encoders (spec §11.2, §4.4 in docs/chain-semantics.md): each
 * answer is decoded with @polkadot/types, using the struct definitions the bittensor SDKs register, and
 * compared field by field with the storage it was built from.
 */
import { TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { encodeAddress } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { ChainError } from '../../localnet/chain/errors';
import { initNewNetwork, U64_MAX } from '../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import {
  delegate,
  delegated,
  delegates,
  lockCost,
  neuron,
  neuronLite,
  neurons,
  neuronsLite,
  subnetHyperparams,
  subnetInfo,
  subnetsInfo,
  subtensorCustomRpc,
} from '../../localnet/runtime/pallets/subtensor/rpc';
import type { AccountId } from '../../localnet/runtime/primitives';
import { EMPTY_STATE, StateOverlay } from '../../localnet/state/overlay';

/** The custom RPC types as the bittensor SDKs register them. */
const registry = new TypeRegistry();
registry.register({
  AxonInfo: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ip_type: 'u8', protocol: 'u8', placeholder1: 'u8', placeholder2: 'u8' },
  PrometheusInfo: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ip_type: 'u8' },
  NeuronInfoLite: {
    hotkey: 'AccountId',
    coldkey: 'AccountId',
    uid: 'Compact<u16>',
    netuid: 'Compact<u16>',
    active: 'bool',
    axon_info: 'AxonInfo',
    prometheus_info: 'PrometheusInfo',
    stake: 'Vec<(AccountId, Compact<u64>)>',
    rank: 'Compact<u16>',
    emission: 'Compact<u64>',
    incentive: 'Compact<u16>',
    consensus: 'Compact<u16>',
    trust: 'Compact<u16>',
    validator_trust: 'Compact<u16>',
    dividends: 'Compact<u16>',
    last_update: 'Compact<u64>',
    validator_permit: 'bool',
    pruning_score: 'Compact<u16>',
  },
  NeuronInfo: {
    hotkey: 'AccountId',
    coldkey: 'AccountId',
    uid: 'Compact<u16>',
    netuid: 'Compact<u16>',
    active: 'bool',
    axon_info: 'AxonInfo',
    prometheus_info: 'PrometheusInfo',
    stake: 'Vec<(AccountId, Compact<u64>)>',
    rank: 'Compact<u16>',
    emission: 'Compact<u64>',
    incentive: 'Compact<u16>',
    consensus: 'Compact<u16>',
    trust: 'Compact<u16>',
    validator_trust: 'Compact<u16>',
    dividends: 'Compact<u16>',
    last_update: 'Compact<u64>',
    validator_permit: 'bool',
    weights: 'Vec<(Compact<u16>, Compact<u16>)>',
    bonds: 'Vec<(Compact<u16>, Compact<u16>)>',
    pruning_score: 'Compact<u16>',
  },
  SubnetInfo: {
    netuid: 'Compact<u16>',
    rho: 'Compact<u16>',
    kappa: 'Compact<u16>',
    difficulty: 'Compact<u64>',
    immunity_period: 'Compact<u16>',
    max_allowed_validators: 'Compact<u16>',
    min_allowed_weights: 'Compact<u16>',
    max_weights_limit: 'Compact<u16>',
    scaling_law_power: 'Compact<u16>',
    subnetwork_n: 'Compact<u16>',
    max_allowed_uids: 'Compact<u16>',
    blocks_since_last_step: 'Compact<u64>',
    tempo: 'Compact<u16>',
    network_modality: 'Compact<u16>',
    network_connect: 'Vec<[u16; 2]>',
    emission_values: 'Compact<u64>',
    burn: 'Compact<u64>',
    owner: 'AccountId',
  },
  SubnetHyperparameters: {
    rho: 'Compact<u16>',
    kappa: 'Compact<u16>',
    immunity_period: 'Compact<u16>',
    min_allowed_weights: 'Compact<u16>',
    max_weights_limit: 'Compact<u16>',
    tempo: 'Compact<u16>',
    min_difficulty: 'Compact<u64>',
    max_difficulty: 'Compact<u64>',
    weights_version: 'Compact<u64>',
    weights_rate_limit: 'Compact<u64>',
    adjustment_interval: 'Compact<u16>',
    activity_cutoff: 'Compact<u16>',
    registration_allowed: 'bool',
    target_regs_per_interval: 'Compact<u16>',
    min_burn: 'Compact<u64>',
    max_burn: 'Compact<u64>',
    bonds_moving_avg: 'Compact<u64>',
    max_regs_per_block: 'Compact<u16>',
    serving_rate_limit: 'Compact<u64>',
    max_validators: 'Compact<u16>',
    adjustment_alpha: 'Compact<u64>',
    difficulty: 'Compact<u64>',
    commit_reveal_weights_interval: 'Compact<u64>',
    commit_reveal_weights_enabled: 'bool',
    alpha_high: 'Compact<u16>',
    alpha_low: 'Compact<u16>',
    liquid_alpha_enabled: 'bool',
  },
  DelegateInfo: {
    delegate_ss58: 'AccountId',
    take: 'Compact<u16>',
    nominators: 'Vec<(AccountId, Compact<u64>)>',
    owner_ss58: 'AccountId',
    registrations: 'Vec<Compact<u16>>',
    validator_permits: 'Vec<Compact<u16>>',
    return_per_1000: 'Compact<u64>',
    total_daily_return: 'Compact<u64>',
  },
});

/** Decodes `bytes` as `type`, requiring every byte to be consumed; returns the primitive form. */
function decode(type: string, bytes: Uint8Array | null): unknown {
  expect(bytes).not.toBeNull();
  const value: Codec = registry.createType(type, bytes!);
  expect(value.encodedLength).toBe(bytes!.length);
  return value.toPrimitive();
}

/** A u64/u128 as @polkadot/types' `toPrimitive` gives it (a decimal string beyond 2^53). */
const prim = (x: bigint): number | string => (x > BigInt(Number.MAX_SAFE_INTEGER) ? x.toString() : Number(x));
const ss58 = (id: AccountId): string => encodeAddress(id, 42);
const acct = (byte: number): AccountId => u8aToHex(new Uint8Array(32).fill(byte)) as AccountId;

const NETUID = 1;
const OWNER = acct(0x0a);
const HK = [acct(0x10), acct(0x11), acct(0x12), acct(0x13)] as const;
const CK = [acct(0x20), acct(0x21), acct(0x22)] as const;
const NOMINATOR = acct(0x30);
const AXON = { block: 7n, version: 3, ip: 3232235777n, port: 8091, ip_type: 4, protocol: 4, placeholder1: 1, placeholder2: 2 } as const;
const PROMETHEUS = { block: 9n, version: 5, ip: 167772161n, port: 7091, ip_type: 4 } as const;
const HALF = U64_MAX / 2n;

/**
 * Subnet 1 with three registered uids (a fourth counted but without a key), per-uid vectors, axon and
 * prometheus data, nominations, a child key, weights and bonds with zero entries, and hotkey 0 a delegate.
 */
function buildState(): StateOverlay {
  const view = new StateOverlay(EMPTY_STATE);
  const s = st();
  initNewNetwork(view, 0, 100);
  initNewNetwork(view, NETUID, 360);
  initNewNetwork(view, 3, 99);
  s.SubnetOwner.set(view, NETUID, OWNER);
  s.SubnetworkN.set(view, NETUID, 4);
  for (let uid = 0; uid < 3; uid++) {
    s.Keys.set(view, NETUID, uid, HK[uid]);
    s.Uids.set(view, NETUID, HK[uid], uid);
    s.Owner.set(view, HK[uid], CK[uid]);
    s.IsNetworkMember.set(view, HK[uid], NETUID, true);
  }
  s.Active.set(view, NETUID, [true, false, true]);
  s.Rank.set(view, NETUID, [1, 2, 3]);
  s.Emission.set(view, NETUID, [500_000_000n, 6n, 7n]);
  s.Incentive.set(view, NETUID, [8, 9, 10]);
  s.Consensus.set(view, NETUID, [11, 12, 13]);
  s.Trust.set(view, NETUID, [14, 15, 16]);
  s.ValidatorTrust.set(view, NETUID, [17, 18, 19]);
  s.Dividends.set(view, NETUID, [20, 21, 22]);
  s.LastUpdate.set(view, NETUID, [23n, 24n, 25n]);
  s.ValidatorPermit.set(view, NETUID, [true, false, true]);
  s.PruningScores.set(view, NETUID, [26, 27]); // uid 2 has none: reads as 65535
  s.Axons.set(view, NETUID, HK[0], AXON);
  s.Prometheus.set(view, NETUID, HK[1], PROMETHEUS);
  s.Weights.set(view, NETUID, 0, [[1, 100], [2, 0], [0, 5]]);
  s.Bonds.set(view, NETUID, 0, [[1, 0], [2, 65535]]);
  // Hotkey 0: own stake 400 + a 600 nomination = 1_000_000_000_000 total; half lent to hotkey 1 as a child.
  s.Stake.set(view, HK[0], CK[0], 400_000_000_000n);
  s.Stake.set(view, HK[0], NOMINATOR, 600_000_000_000n);
  s.TotalHotkeyStake.set(view, HK[0], 1_000_000_000_000n);
  s.Stake.set(view, HK[1], CK[1], 200n);
  s.TotalHotkeyStake.set(view, HK[1], 200n);
  s.ChildKeys.set(view, HK[0], NETUID, [[HALF, HK[1]]]);
  s.ParentKeys.set(view, HK[1], NETUID, [[HALF, HK[0]]]);
  s.Delegates.set(view, HK[0], 1000);
  s.Rho.set(view, NETUID, 12);
  s.BlocksSinceLastStep.set(view, NETUID, 33n);
  s.EmissionValues.set(view, NETUID, 44n);
  s.AlphaValues.set(view, NETUID, [50000, 60000]);
  s.LiquidAlphaOn.set(view, NETUID, true);
  s.RevealPeriodEpochs.set(view, NETUID, 3n);
  return view;
}

let view: StateOverlay;
beforeAll(() => {
  view = buildState();
});

/** `⌊p / u64::MAX⌋₃₂` for p = u64::MAX/2 is (2^31 − 1)/2^32; lent = ⌊1e12 · that⌋. */
const LENT = (1_000_000_000_000n * ((1n << 31n) - 1n)) >> 32n;

function expectedNeuronLite(uid: number, stake: bigint): Record<string, unknown> {
  const axon = uid === 0 ? AXON : { block: 0n, version: 0, ip: 0n, port: 0, ip_type: 0, protocol: 0, placeholder1: 0, placeholder2: 0 };
  const prom = uid === 1 ? PROMETHEUS : { block: 0n, version: 0, ip: 0n, port: 0, ip_type: 0 };
  return {
    hotkey: ss58(HK[uid]!),
    coldkey: ss58(CK[uid]!),
    uid,
    netuid: NETUID,
    active: [true, false, true][uid],
    axon_info: { ...axon, block: prim(axon.block), ip: prim(axon.ip) },
    prometheus_info: { ...prom, block: prim(prom.block), ip: prim(prom.ip) },
    stake: [[ss58(CK[uid]!), prim(stake)]],
    rank: [1, 2, 3][uid],
    emission: prim([500_000_000n, 6n, 7n][uid]!),
    incentive: [8, 9, 10][uid],
    consensus: [11, 12, 13][uid],
    trust: [14, 15, 16][uid],
    validator_trust: [17, 18, 19][uid],
    dividends: [20, 21, 22][uid],
    last_update: [23, 24, 25][uid],
    validator_permit: [true, false, true][uid],
    pruning_score: [26, 27, 65535][uid],
  };
}

describe('neuronInfo', () => {
  test('default: neuronsLite lists the registered uids with child-adjusted stake', () => {
    const decoded = decode('Vec<NeuronInfoLite>', neuronsLite(view, NETUID));
    expect(decoded).toEqual([
      expectedNeuronLite(0, 1_000_000_000_000n - LENT),
      expectedNeuronLite(1, 200n + LENT),
      expectedNeuronLite(2, 0n),
    ]);
  });

  test('behavior: neuronLite of one uid equals its entry in the list', () => {
    expect(decode('NeuronInfoLite', neuronLite(view, NETUID, 1))).toEqual(expectedNeuronLite(1, 200n + LENT));
  });

  test('behavior: neurons carry every nominator, and weights and bonds without zeros', () => {
    const [first, second] = decode('Vec<NeuronInfo>', neurons(view, NETUID)) as Array<Record<string, unknown>>;
    // Stake entries in storage order (Identity-hashed coldkey bytes ascending).
    expect(first!.stake).toEqual([
      [ss58(CK[0]), prim(400_000_000_000n)],
      [ss58(NOMINATOR), prim(600_000_000_000n)],
    ]);
    expect(first!.weights).toEqual([
      [1, 100],
      [0, 5],
    ]);
    expect(first!.bonds).toEqual([[2, 65535]]);
    expect(second!.weights).toEqual([]);
    const { stake: _s, weights: _w, bonds: _b, ...rest } = first!;
    const { stake: _ls, ...lite } = expectedNeuronLite(0, 0n);
    expect(rest).toEqual(lite);
  });

  test('behavior: neuron of one uid equals its entry in the list', () => {
    const list = decode('Vec<NeuronInfo>', neurons(view, NETUID)) as unknown[];
    expect(decode('NeuronInfo', neuron(view, NETUID, 2))).toEqual(list[2]);
  });

  test('behavior: the list stops at the first uid without a key', () => {
    expect(decode('Vec<NeuronInfoLite>', neuronsLite(view, NETUID))).toHaveLength(3);
  });

  test('error: a missing subnet or uid is None / the empty list', () => {
    expect(neuronLite(view, 9, 0)).toBeNull();
    expect(neuron(view, 9, 0)).toBeNull();
    expect(neuronLite(view, NETUID, 3)).toBeNull();
    expect(neuron(view, NETUID, 200)).toBeNull();
    expect(neuronsLite(view, 9)).toEqual(Uint8Array.of(0));
    expect(neurons(view, 9)).toEqual(Uint8Array.of(0));
    expect(decode('Vec<NeuronInfo>', neurons(view, 3))).toEqual([]);
  });
});

describe('subnetInfo', () => {
  const expectedInfo = (netuid: number): Record<string, unknown> => {
    const s = st();
    return {
      netuid,
      rho: s.Rho.get(view, netuid),
      kappa: s.Kappa.get(view, netuid),
      difficulty: prim(s.Difficulty.get(view, netuid)),
      immunity_period: s.ImmunityPeriod.get(view, netuid),
      max_allowed_validators: s.MaxAllowedValidators.get(view, netuid),
      min_allowed_weights: s.MinAllowedWeights.get(view, netuid),
      max_weights_limit: s.MaxWeightsLimit.get(view, netuid),
      scaling_law_power: 50,
      subnetwork_n: s.SubnetworkN.get(view, netuid),
      max_allowed_uids: s.MaxAllowedUids.get(view, netuid),
      blocks_since_last_step: prim(s.BlocksSinceLastStep.get(view, netuid)),
      tempo: s.Tempo.get(view, netuid),
      network_modality: 0,
      network_connect: [],
      emission_values: prim(s.EmissionValues.get(view, netuid)),
      burn: prim(s.Burn.get(view, netuid)),
      owner: ss58(s.SubnetOwner.get(view, netuid)),
    };
  };

  test('default: subnetInfo decodes to the subnet storage', () => {
    const info = decode('SubnetInfo', subnetInfo(view, NETUID));
    expect(info).toEqual(expectedInfo(NETUID));
    expect(info).toMatchObject({ rho: 12, tempo: 360, subnetwork_n: 4, blocks_since_last_step: 33, emission_values: 44, owner: ss58(OWNER) });
  });

  test('behavior: subnetsInfo is Vec<Option<SubnetInfo>> in ascending netuid', () => {
    expect(decode('Vec<Option<SubnetInfo>>', subnetsInfo(view))).toEqual([expectedInfo(0), expectedInfo(1), expectedInfo(3)]);
  });

  test('default: subnetHyperparams has the 27 fields in order, alpha_high before alpha_low', () => {
    const s = st();
    const hp = decode('SubnetHyperparameters', subnetHyperparams(view, NETUID)) as Record<string, unknown>;
    expect(Object.keys(hp)).toHaveLength(27);
    expect(hp).toEqual({
      rho: 12,
      kappa: 32767,
      immunity_period: 5000,
      min_allowed_weights: 1,
      max_weights_limit: 65535,
      tempo: 360,
      min_difficulty: prim(U64_MAX),
      max_difficulty: prim(U64_MAX),
      weights_version: 0,
      weights_rate_limit: 100,
      adjustment_interval: 360,
      activity_cutoff: 5000,
      registration_allowed: true,
      target_regs_per_interval: 1,
      min_burn: 1,
      max_burn: 100_000_000_000,
      bonds_moving_avg: 900_000,
      max_regs_per_block: 1,
      serving_rate_limit: 50,
      max_validators: 64,
      adjustment_alpha: prim(s.AdjustmentAlpha.get(view, NETUID)),
      difficulty: 10_000_000,
      commit_reveal_weights_interval: 3,
      commit_reveal_weights_enabled: false,
      alpha_high: 60000,
      alpha_low: 50000,
      liquid_alpha_enabled: true,
    });
  });

  test('error: a missing subnet is None', () => {
    expect(subnetInfo(view, 9)).toBeNull();
    expect(subnetHyperparams(view, 9)).toBeNull();
  });
});

describe('delegateInfo', () => {
  // Emission 5e8 per epoch at tempo 360 → 20 epochs a day → 1e10 a day; 0.82 (as f64, just below) of
  // it per 1e9 staked (1e12 / 1000) → 8.1999… → 8.
  const expectedDelegate = {
    delegate_ss58: ss58(HK[0]),
    take: 1000,
    nominators: [
      [ss58(CK[0]), prim(400_000_000_000n)],
      [ss58(NOMINATOR), prim(600_000_000_000n)],
    ],
    owner_ss58: ss58(CK[0]),
    registrations: [NETUID],
    validator_permits: [NETUID],
    return_per_1000: 8,
    total_daily_return: 10_000_000_000,
  };

  test('default: delegates lists every delegate hotkey', () => {
    expect(decode('Vec<DelegateInfo>', delegates(view))).toEqual([expectedDelegate]);
  });

  test('behavior: delegate takes the account as 32 bytes', () => {
    expect(decode('DelegateInfo', delegate(view, hexToU8a(HK[0])))).toEqual(expectedDelegate);
  });

  test('behavior: delegated pairs each delegate with the coldkey stake on it', () => {
    expect(decode('Vec<(DelegateInfo, Compact<u64>)>', delegated(view, hexToU8a(NOMINATOR)))).toEqual([[expectedDelegate, prim(600_000_000_000n)]]);
  });

  test('error: a non-delegate, a short account or a coldkey without stake give None / []', () => {
    expect(delegate(view, hexToU8a(HK[1]))).toBeNull();
    expect(delegate(view, hexToU8a(HK[0]).subarray(0, 31))).toBeNull();
    expect(delegated(view, hexToU8a(CK[2]))).toEqual(Uint8Array.of(0));
    expect(delegated(view, hexToU8a(NOMINATOR).subarray(0, 31))).toEqual(Uint8Array.of(0));
  });
});

describe('lockCost (§4.4 step 2)', () => {
  test('default: before any registration the cost is the minimum', () => {
    expect(lockCost(view, 10n)).toBe(1_000_000_000_000n);
  });

  test('behavior: doubles the last lock, then decays linearly per block, floored at the minimum', () => {
    const v = new StateOverlay(view);
    st().NetworkLastLockCost.set(v, 2_000_000_000_000n);
    st().NetworkLastRegistered.set(v, 100n);
    // 4e12 − ⌊2e12 / 100800⌋ · 1000
    expect(lockCost(v, 1100n)).toBe(4_000_000_000_000n - 19_841_269n * 1000n);
    expect(lockCost(v, 100n + 10_000_000n)).toBe(1_000_000_000_000n);
  });
});

describe('subtensorCustomRpc', () => {
  const rpc = (method: string, params: unknown[]): Uint8Array | null => subtensorCustomRpc(method, params, view, 1100);

  test('default: routes each method with its JSON params', () => {
    expect(rpc('neuronInfo_getNeuronsLite', [NETUID])).toEqual(neuronsLite(view, NETUID));
    expect(rpc('neuronInfo_getNeuronLite', [NETUID, 2])).toEqual(neuronLite(view, NETUID, 2));
    expect(rpc('neuronInfo_getNeurons', [NETUID])).toEqual(neurons(view, NETUID));
    expect(rpc('neuronInfo_getNeuron', [NETUID, 0])).toEqual(neuron(view, NETUID, 0));
    expect(rpc('subnetInfo_getSubnetInfo', [NETUID])).toEqual(subnetInfo(view, NETUID));
    expect(rpc('subnetInfo_getSubnetsInfo', [])).toEqual(subnetsInfo(view));
    expect(rpc('subnetInfo_getSubnetHyperparams', [NETUID])).toEqual(subnetHyperparams(view, NETUID));
    expect(rpc('delegateInfo_getDelegates', [])).toEqual(delegates(view));
    expect(rpc('delegateInfo_getDelegate', [Array.from(hexToU8a(HK[0]))])).toEqual(delegate(view, hexToU8a(HK[0])));
    expect(rpc('delegateInfo_getDelegated', [Array.from(hexToU8a(NOMINATOR))])).toEqual(delegated(view, hexToU8a(NOMINATOR)));
    expect(rpc('subnetInfo_getSubnetInfo', [9])).toBeNull();
  });

  test('behavior: getLockCost answers 8 little-endian bytes at the given block', () => {
    const bytes = rpc('subnetInfo_getLockCost', []);
    expect(registry.createType('u64', bytes!).toBigInt()).toBe(lockCost(view, 1100n));
    expect(bytes).toHaveLength(8);
  });

  test.each([
    ['neuronInfo_getNeuronsLite', []],
    ['neuronInfo_getNeuronsLite', ['1']],
    ['neuronInfo_getNeuronsLite', [65536]],
    ['neuronInfo_getNeuronLite', [1]],
    ['neuronInfo_getNeuron', [1, -1]],
    ['subnetInfo_getSubnetsInfo', [1]],
    ['delegateInfo_getDelegate', ['0x00']],
    ['delegateInfo_getDelegated', [[256]]],
  ])('error: %s with %j is InvalidParams', (method, params) => {
    expect(() => rpc(method, params)).toThrow(expect.objectContaining({ code: 'InvalidParams' }) as unknown as Error);
  });

  test('error: an unknown method is UnknownRpc', () => {
    let caught: unknown;
    try {
      rpc('subnetInfo_getMetagraph', [1]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ChainError);
    expect((caught as ChainError).code).toBe('UnknownRpc');
  });
});

describe('against a chain', () => {
  test('behavior: hyperparameters set through AdminUtils show in the answer at the best block', async () => {
    const { TestChain } = await import('./helpers/test-chain');
    const t = await TestChain.start();
    try {
      await t.addNetwork(2, { tempo: 10, owner: '//Bob' });
      expect((await t.sudo('AdminUtils', 'sudo_set_tempo', { netuid: 2, tempo: 77 })).error).toBeNull();
      expect((await t.send('//Bob', 'AdminUtils', 'sudo_set_kappa', { netuid: 2, kappa: 100 })).error).toBeNull();
      const hp = decode('SubnetHyperparameters', subtensorCustomRpc('subnetInfo_getSubnetHyperparams', [2], t.chain.stateAt(), t.blockNumber));
      expect(hp).toMatchObject({ tempo: 77, kappa: 100 });
      const info = decode('SubnetInfo', subtensorCustomRpc('subnetInfo_getSubnetInfo', [2], t.chain.stateAt(), t.blockNumber));
      expect(info).toMatchObject({ netuid: 2, tempo: 77, owner: ss58(t.account('//Bob')) });
      expect(decode('Vec<Option<SubnetInfo>>', subtensorCustomRpc('subnetInfo_getSubnetsInfo', [], t.chain.stateAt(), t.blockNumber))).toHaveLength(2);
    } finally {
      await t.close();
    }
  });
});
