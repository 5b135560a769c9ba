/**
 * Feature detection against two real runtimes' metadata: localnet's finney spec 219 (pre-dTAO) and
 * the testnet file named `spec224` whose System.Version actually says spec 233 (dynamic TAO).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { ChainClientError, UnsupportedRuntimeError, runtimeFromMetadata, type RuntimeView } from '../../chain-client';

function load(file: string): RuntimeView {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, readFileSync(join(__dirname, '../../localnet/metadata', file)));
  registry.setMetadata(metadata, undefined, { SubtensorSignedExtension: { extrinsic: {}, payload: {} }, CommitmentsSignedExtension: { extrinsic: {}, payload: {} } });
  return runtimeFromMetadata(registry, metadata);
}

const finney219 = load('subtensor-spec219-finney.scale');
const testnet233 = load('subtensor-spec224-testnet.scale');

test('default: identities come from System.Version (the "spec224" file is spec 233)', () => {
  expect(finney219.identity).toEqual({ specName: 'node-subtensor', specVersion: 219, transactionVersion: 1 });
  expect(testnet233.identity.specName).toBe('node-subtensor');
  expect(testnet233.identity.specVersion).toBe(233);
});

test('behavior: add_stake / remove_stake shapes differ before and after dynamic TAO', () => {
  expect(finney219.stakeCallShape()).toBe('hotkey-amount');
  expect(finney219.stakeCallShape('remove_stake')).toBe('hotkey-amount');
  expect(testnet233.stakeCallShape()).toBe('hotkey-netuid-amount');
  expect(testnet233.stakeCallShape('remove_stake')).toBe('hotkey-netuid-amount');
  expect(finney219.requireCall('SubtensorModule', 'add_stake').args).toEqual([
    { name: 'hotkey', type: 'AccountId32' },
    { name: 'amount_staked', type: 'u64' },
  ]);
  expect(testnet233.requireCall('SubtensorModule', 'add_stake').index).toEqual(finney219.requireCall('SubtensorModule', 'add_stake').index);
});

test('behavior: root weights via set_root_weights on 219, via set_weights on netuid 0 on 233', () => {
  expect(finney219.rootWeightsShape()).toBe('set_root_weights');
  expect(testnet233.findCall('SubtensorModule', 'set_root_weights')).toBeUndefined();
  expect(testnet233.rootWeightsShape()).toBe('set_weights-netuid-0');
});

test('behavior: storage detection (TotalHotkeyStake exists before dynamic TAO only)', () => {
  expect(finney219.hasStorage('SubtensorModule', 'TotalHotkeyStake')).toBe(true);
  expect(finney219.hasStorage('SubtensorModule', 'Rank')).toBe(true);
  expect(testnet233.hasStorage('SubtensorModule', 'TotalHotkeyStake')).toBe(false);
});

test('error: a missing call is UnsupportedRuntime naming the call and the spec', () => {
  const err = (() => {
    try {
      testnet233.requireCall('SubtensorModule', 'set_root_weights');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(err).toBeInstanceOf(UnsupportedRuntimeError);
  expect(err).toBeInstanceOf(ChainClientError);
  expect(err).toMatchObject({ code: 'UnsupportedRuntime', details: { item: 'SubtensorModule.set_root_weights', specVersion: 233 } });
  expect((err as Error).message).toContain('SubtensorModule.set_root_weights');
  expect(() => finney219.requireCall('Nope', 'x')).toThrow(expect.objectContaining({ code: 'UnsupportedRuntime' }));
});
