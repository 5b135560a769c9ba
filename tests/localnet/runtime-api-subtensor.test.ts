/**
 * Subtensor's runtime APIs through `state_call`: each answers what the node's custom RPC of the same
 * data answers, as the runtime returns it — the info struct's encoding inside a `Vec<u8>` (empty for
 * None), the lock cost as a bare u64 — so clients that reach only the standard Substrate methods (as the
 * reference SDK queries them) read the same values.
 */
import { Keyring } from '@polkadot/keyring';
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import type { Localnet } from '../../localnet';
import { NETUID, seededGenesis, startSeededLocalnet } from '../chain-client/helpers/subnet';

let net: Localnet;
const keyring = new Keyring({ type: 'sr25519' });

const u16 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, n >> 8);
const vecU8 = (bytes: Uint8Array): Uint8Array => u8aConcat(compactToU8a(bytes.length), bytes);

beforeAll(async () => {
  net = await startSeededLocalnet(seededGenesis(7, 2, 3));
  await net.chain.newBlock();
});

afterAll(async () => {
  await net?.close();
});

test('behavior: each Vec<u8> runtime API wraps the custom RPC answer, present or absent', () => {
  const validator = decodeAddress(keyring.addFromUri('//Alice//v0').address);
  const cases: ReadonlyArray<readonly [api: string, args: Uint8Array, rpc: string, params: readonly unknown[]]> = [
    ['NeuronInfoRuntimeApi_get_neurons_lite', u16(NETUID), 'neuronInfo_getNeuronsLite', [NETUID]],
    ['NeuronInfoRuntimeApi_get_neuron_lite', u8aConcat(u16(NETUID), u16(1)), 'neuronInfo_getNeuronLite', [NETUID, 1]],
    ['NeuronInfoRuntimeApi_get_neurons', u16(NETUID), 'neuronInfo_getNeurons', [NETUID]],
    ['NeuronInfoRuntimeApi_get_neuron', u8aConcat(u16(NETUID), u16(4)), 'neuronInfo_getNeuron', [NETUID, 4]],
    ['NeuronInfoRuntimeApi_get_neuron', u8aConcat(u16(NETUID), u16(99)), 'neuronInfo_getNeuron', [NETUID, 99]],
    ['SubnetInfoRuntimeApi_get_subnet_info', u16(NETUID), 'subnetInfo_getSubnetInfo', [NETUID]],
    ['SubnetInfoRuntimeApi_get_subnet_info', u16(77), 'subnetInfo_getSubnetInfo', [77]],
    ['SubnetInfoRuntimeApi_get_subnets_info', new Uint8Array(), 'subnetInfo_getSubnetsInfo', []],
    ['SubnetInfoRuntimeApi_get_subnet_hyperparams', u16(NETUID), 'subnetInfo_getSubnetHyperparams', [NETUID]],
    ['DelegateInfoRuntimeApi_get_delegates', new Uint8Array(), 'delegateInfo_getDelegates', []],
    ['DelegateInfoRuntimeApi_get_delegate', vecU8(validator), 'delegateInfo_getDelegate', [Array.from(validator)]],
    ['DelegateInfoRuntimeApi_get_delegated', vecU8(validator), 'delegateInfo_getDelegated', [Array.from(validator)]],
  ];
  let present = 0;
  for (const [api, args, rpc, params] of cases) {
    const expected = net.chain.customRpc(rpc, params);
    if (expected !== null && expected.length > 1) present++;
    expect([api, u8aToHex(net.chain.runtimeCall(api, args))]).toEqual([api, u8aToHex(vecU8(expected ?? new Uint8Array()))]);
  }
  expect(present).toBeGreaterThanOrEqual(6);
});

test('behavior: get_network_registration_cost is the bare u64 the custom RPC computes', () => {
  const bytes = net.chain.runtimeCall('SubnetRegistrationRuntimeApi_get_network_registration_cost', new Uint8Array());
  expect(u8aToHex(bytes)).toBe(u8aToHex(net.chain.customRpc('subnetInfo_getLockCost', [])!));
  expect(bytes.length).toBe(8);
});

test('behavior: the answer is computed at the block asked for', async () => {
  const before = net.chain.bestBlock();
  await net.chain.newBlock();
  expect(u8aToHex(net.chain.runtimeCall('SubnetInfoRuntimeApi_get_subnet_info', u16(NETUID), before.hash))).toBe(u8aToHex(vecU8(net.chain.customRpc('subnetInfo_getSubnetInfo', [NETUID], before.hash)!)));
});

test('error: malformed arguments are InvalidParams, not a silent default', () => {
  expect(() => net.chain.runtimeCall('NeuronInfoRuntimeApi_get_neurons_lite', Uint8Array.of(1))).toThrow(/expected a u16/);
  expect(() => net.chain.runtimeCall('NeuronInfoRuntimeApi_get_neurons_lite', Uint8Array.of(1, 0, 0))).toThrow(/1 bytes left/);
  expect(() => net.chain.runtimeCall('DelegateInfoRuntimeApi_get_delegate', Uint8Array.of(128, 1, 2))).toThrow(/truncated/);
  expect(() => net.chain.runtimeCall('StakeInfoRuntimeApi_get_stake_info_for_coldkey', new Uint8Array())).toThrow(/does not implement/);
});
