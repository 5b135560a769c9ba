/**
 * Contract: the calls whose shape differs between runtimes are built from each target's own metadata —
 * the finney runtime of February 2024 (spec 143, tests/fixtures/metadata), localnet's finney spec 219
 * (pre-dTAO) and the testnet file whose System.Version says spec 233 (dynamic TAO) — and encode against
 * it (checked by decoding the bytes back with that metadata), or fail typed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { HYPERPARAMETERS, LEGACY_ERROR_NAMES, UnsupportedRuntimeError, registerNetworkCall, runtimeFromMetadata, type RuntimeView } from '../../chain-client';
import { buildCall, rootWeightsCall, stakeCall } from '../../chain-client/operations/calls';
import { InvalidParametersError } from '../../chain-client/operations/errors';
import { setChildkeyTakeCall, setChildrenCall } from '../../chain-client/operations/children';
import { setIdentityCall, setSubnetIdentityCall } from '../../chain-client/operations/identity';

interface Target {
  registry: TypeRegistry;
  runtime: RuntimeView;
}

function load(file: string, dir = '../../localnet/metadata'): Target {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, readFileSync(join(__dirname, dir, file)));
  registry.setMetadata(metadata, undefined, { SubtensorSignedExtension: { extrinsic: {}, payload: {} }, CommitmentsSignedExtension: { extrinsic: {}, payload: {} } });
  return { registry, runtime: runtimeFromMetadata(registry, metadata) };
}

const finney143 = load('subtensor-spec143-finney.scale', '../fixtures/metadata');
const finney219 = load('subtensor-spec219-finney.scale');
const testnet233 = load('subtensor-spec224-testnet.scale');
let hotkey = '';

beforeAll(async () => {
  await cryptoWaitReady();
  hotkey = new Keyring({ type: 'sr25519' }).addFromUri('//Alice//v0').address;
});

/** Decodes `bytes` as a Call of `target` and returns `section.method` and the JSON args. */
function roundTrip(target: Target, bytes: Uint8Array): { name: string; args: unknown[] } {
  const call = target.registry.createType('Call', bytes);
  return { name: `${call.section}.${call.method}`, args: call.args.map((a) => a.toJSON()) };
}

test('default: add_stake / remove_stake encode as (hotkey, amount) on 219 and (hotkey, netuid, amount) on 233', () => {
  for (const which of ['add_stake', 'remove_stake'] as const) {
    const method = which === 'add_stake' ? 'addStake' : 'removeStake';
    const pre = roundTrip(finney219, stakeCall(finney219.registry, finney219.runtime, which, { hotkey, amount: 5n, netuid: 3 }).toU8a());
    expect(pre).toEqual({ name: `subtensorModule.${method}`, args: [hotkey, 5] });
    const dtao = roundTrip(testnet233, stakeCall(testnet233.registry, testnet233.runtime, which, { hotkey, amount: 5n, netuid: 3 }).toU8a());
    expect(dtao).toEqual({ name: `subtensorModule.${method}`, args: [hotkey, 3, 5] });
  }
});

test('error: a dynamic-TAO stake call without a netuid is an InvalidParametersError', () => {
  expect(() => stakeCall(testnet233.registry, testnet233.runtime, 'add_stake', { hotkey, amount: 1n })).toThrow(InvalidParametersError);
});

test('behavior: root weights via set_root_weights on 219 (coldkey) and set_weights on netuid 0 on 233 (hotkey)', () => {
  const args = { hotkey, netuids: [0, 1], values: [65535, 100], versionKey: 7n };
  const pre = rootWeightsCall(finney219.registry, finney219.runtime, args);
  expect(pre.signedBy).toBe('coldkey');
  expect(roundTrip(finney219, pre.call.toU8a())).toEqual({ name: 'subtensorModule.setRootWeights', args: [0, hotkey, [0, 1], [65535, 100], 7] });
  const dtao = rootWeightsCall(testnet233.registry, testnet233.runtime, args);
  expect(dtao.signedBy).toBe('hotkey');
  expect(roundTrip(testnet233, dtao.call.toU8a())).toEqual({ name: 'subtensorModule.setWeights', args: [0, [0, 1], [65535, 100], 7] });
});

test('error: a missing call or a wrong arity is an UnsupportedRuntimeError naming the call', () => {
  const missing = (() => {
    try {
      buildCall(finney219.registry, finney219.runtime, 'SubtensorModule', 'no_such_call', []);
    } catch (e) {
      return e;
    }
  })();
  expect(missing).toBeInstanceOf(UnsupportedRuntimeError);
  expect((missing as UnsupportedRuntimeError).details.item).toBe('SubtensorModule.no_such_call');
  expect(() => buildCall(testnet233.registry, testnet233.runtime, 'SubtensorModule', 'add_stake', [hotkey, 5n])).toThrow(UnsupportedRuntimeError);
  expect(() => buildCall(finney219.registry, finney219.runtime, 'SubtensorModule', 'burned_register', ['not-a-number', hotkey])).toThrow(UnsupportedRuntimeError);
});

test('behavior: set_children and set_childkey_take encode as (hotkey, netuid, …) on 219 and 233', () => {
  const child = new Keyring({ type: 'sr25519' }).addFromUri('//Alice//child').address;
  for (const target of [finney219, testnet233]) {
    const children = roundTrip(target, setChildrenCall(target.registry, target.runtime, { hotkey, netuid: 3, children: [[5n, child]] }).toU8a());
    expect(children).toEqual({ name: 'subtensorModule.setChildren', args: [hotkey, 3, [[5, child]]] });
    const take = roundTrip(target, setChildkeyTakeCall(target.registry, target.runtime, { hotkey, netuid: 3, take: 1000 }).toU8a());
    expect(take).toEqual({ name: 'subtensorModule.setChildkeyTake', args: [hotkey, 3, 1000] });
  }
});

test('behavior: identities encode as UTF-8 bytes on 219; 233\'s wider identity calls are an UnsupportedRuntimeError', () => {
  const hex = (s: string) => '0x' + Buffer.from(s, 'utf8').toString('hex');
  const identity = { name: 'Ålice', url: 'u', image: '', discord: 'd', description: '0x12', additional: '' };
  expect(roundTrip(finney219, setIdentityCall(finney219.registry, finney219.runtime, identity).toU8a())).toEqual({
    name: 'subtensorModule.setIdentity',
    args: [hex('Ålice'), hex('u'), '0x', hex('d'), hex('0x12'), '0x'],
  });
  const subnet = { subnetName: 'sn', githubRepo: 'g', subnetContact: 'c' };
  expect(roundTrip(finney219, setSubnetIdentityCall(finney219.registry, finney219.runtime, 3, subnet).toU8a())).toEqual({ name: 'subtensorModule.setSubnetIdentity', args: [3, hex('sn'), hex('g'), hex('c')] });
  expect(() => setIdentityCall(testnet233.registry, testnet233.runtime, identity)).toThrow(UnsupportedRuntimeError);
  expect(() => setSubnetIdentityCall(testnet233.registry, testnet233.runtime, 3, subnet)).toThrow(UnsupportedRuntimeError);
});

/** Throws what `f` throws; fails when it returns. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

test('behavior: the fixtures are the runtimes they are named for', () => {
  expect([finney143, finney219, testnet233].map((t) => t.runtime.identity.specVersion)).toEqual([143, 219, 233]);
});

test('behavior: register_network encodes bare on 143 and 219, with a (name, repo, contact) identity on 219 only', () => {
  const hex = (s: string) => '0x' + Buffer.from(s, 'utf8').toString('hex');
  for (const target of [finney143, finney219]) expect(roundTrip(target, registerNetworkCall(target.registry, target.runtime).toU8a())).toEqual({ name: 'subtensorModule.registerNetwork', args: [] });
  const identity = { subnetName: 'sn', githubRepo: 'https://example.org/r', subnetContact: 'c@example.org' };
  expect(roundTrip(finney219, registerNetworkCall(finney219.registry, finney219.runtime, identity).toU8a())).toEqual({
    name: 'subtensorModule.registerNetworkWithIdentity',
    args: [{ subnetName: hex('sn'), githubRepo: hex('https://example.org/r'), subnetContact: hex('c@example.org') }],
  });
  // Spec 143 has no identities: refused before anything is built, naming the call.
  const old = thrown(() => registerNetworkCall(finney143.registry, finney143.runtime, identity));
  expect(old).toBeInstanceOf(UnsupportedRuntimeError);
  expect((old as UnsupportedRuntimeError).details).toMatchObject({ item: 'SubtensorModule.register_network_with_identity', specVersion: 143 });
  // Dynamic TAO registers with a hotkey and a wider identity (SubnetIdentityV2): neither shape is sent.
  const dtao = thrown(() => registerNetworkCall(testnet233.registry, testnet233.runtime, identity));
  expect((dtao as UnsupportedRuntimeError).details).toMatchObject({ item: 'SubtensorModule.register_network_with_identity', specVersion: 233 });
  expect((dtao as UnsupportedRuntimeError).message).toContain('PalletSubtensorSubnetIdentityV2');
  expect(() => registerNetworkCall(testnet233.registry, testnet233.runtime)).toThrow(UnsupportedRuntimeError);
});

test('behavior: every hyperparameter is a storage item of 143, 219 and 233, except the optional ones 143 lacks', () => {
  for (const target of [finney143, finney219, testnet233]) {
    const missing = Object.entries(HYPERPARAMETERS).filter(([, spec]) => !target.runtime.hasStorage('SubtensorModule', spec.storage)).map(([name]) => name);
    expect(missing).toEqual(target === finney143 ? ['commit_reveal_weights_interval', 'commit_reveal_weights_enabled', 'liquid_alpha_enabled'] : []);
    expect(missing.every((name) => 'optional' in HYPERPARAMETERS[name as keyof typeof HYPERPARAMETERS])).toBe(true);
  }
});

test('behavior: each legacy error name is a SubtensorModule error of spec 143 and its current name one of 219, not the other way round', () => {
  const errorsOf = (target: Target): Set<string> => {
    const pallet = target.registry.metadata.pallets.find((p) => p.name.toString() === 'SubtensorModule')!;
    return new Set(target.registry.lookup.getSiType(pallet.errors.unwrap().type).def.asVariant.variants.map((v) => v.name.toString()));
  };
  const [old, current] = [errorsOf(finney143), errorsOf(finney219)];
  for (const [legacy, name] of Object.entries(LEGACY_ERROR_NAMES)) {
    expect([legacy, old.has(legacy), current.has(legacy)]).toEqual([legacy, true, false]);
    expect([name, current.has(name), old.has(name)]).toEqual([name, true, false]);
  }
});
