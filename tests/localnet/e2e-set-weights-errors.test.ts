/**
 * Every `set_weights` error path (spec §7.1) through a real @polkadot/api client on a real localnet:
 * each failure is included as `ExtrinsicFailed` with the pallet error the metadata names, and the
 * stored weights stay untouched.
 */
import '@polkadot/api-augment';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Option, u16, Vec } from '@polkadot/types';
import type { ITuple } from '@polkadot/types/types';
import { startLocalnet, type Localnet } from '../../localnet';

let net: Localnet;
let api: ApiPromise;
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const vHot = keyring.addFromUri('//Alice//v');
const mHot = keyring.addFromUri('//Bob//m');
const stranger = keyring.addFromUri('//Charlie//unregistered');
const NETUID = 1;
let mUid = 1;

async function send(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<string | null> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      if (!result.status.isInBlock && !result.status.isFinalized) return;
      const err = result.dispatchError;
      if (!err) return resolve(null);
      if (err.isModule) {
        const meta = api.registry.findMetaError(err.asModule);
        return resolve(`${meta.section}.${meta.name}`);
      }
      resolve(err.type);
    })
      .then(() => net.chain.newBlock())
      .catch(reject);
  });
}

/** Root call through sudo; fails the test when the inner call fails. */
async function sudo(call: SubmittableExtrinsic<'promise'>): Promise<void> {
  let inner: string | null = null;
  await new Promise<void>((resolve, reject) => {
    api.tx.sudo
      .sudo(call)
      .signAndSend(alice, (result) => {
        if (!result.status.isInBlock && !result.status.isFinalized) return;
        const sudid = result.events.find(({ event }) => event.section === 'sudo' && event.method === 'Sudid');
        const res = sudid?.event.data[0] as unknown as { isErr: boolean } | undefined;
        if (res?.isErr) inner = 'inner call failed';
        resolve();
      })
      .then(() => net.chain.newBlock())
      .catch(reject);
  });
  if (inner) throw new Error(`sudo ${call.method.section}.${call.method.method}: ${inner}`);
}

const storedWeights = async (uid: number): Promise<Array<[number, number]>> =>
  ((await api.query.subtensorModule.weights(NETUID, uid)) as unknown as Vec<ITuple<[u16, u16]>>).map(([d, w]) => [d.toNumber(), w.toNumber()]);

beforeAll(async () => {
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
  api = await ApiPromise.create({ provider: new WsProvider(net.url), noInitWarn: true });
  await sudo(api.tx.adminUtils.sudoSetNetworkRateLimit(0));
  expect(await send(api.tx.subtensorModule.registerNetwork(), alice)).toBeNull();
  await sudo(api.tx.adminUtils.sudoSetTempo(NETUID, 3));
  await sudo(api.tx.adminUtils.sudoSetTargetRegistrationsPerInterval(NETUID, 10));
  await sudo(api.tx.adminUtils.sudoSetMaxAllowedValidators(NETUID, 1));
  expect(await send(api.tx.subtensorModule.burnedRegister(NETUID, vHot.address), alice)).toBeNull();
  expect(await send(api.tx.subtensorModule.burnedRegister(NETUID, mHot.address), bob)).toBeNull();
  expect(await send(api.tx.subtensorModule.addStake(vHot.address, 100n * 10n ** 9n), alice)).toBeNull();
  mUid = ((await api.query.subtensorModule.uids(NETUID, mHot.address)) as Option<u16>).unwrap().toNumber();
  // One epoch: the validator (top stake) gets the only permit; then no rate limit between attempts.
  for (let i = 0; i < 5; i++) await net.chain.newBlock();
  await sudo(api.tx.adminUtils.sudoSetWeightsSetRateLimit(NETUID, 0));
});

afterAll(async () => {
  await api?.disconnect();
  await net?.close();
});

const setWeights = (netuid: number, dests: number[], weights: number[], version = 0): SubmittableExtrinsic<'promise'> =>
  api.tx.subtensorModule.setWeights(netuid, dests, weights, version);

test('default: a permitted validator sets weights (max-upscaled)', async () => {
  expect(await send(setWeights(NETUID, [mUid], [100]), vHot)).toBeNull();
  expect(await storedWeights(0)).toEqual([[mUid, 65535]]);
});

test.each([
  ['CanNotSetRootNetworkWeights', () => setWeights(0, [0], [1]), () => vHot],
  ['WeightVecNotEqualSize', () => setWeights(NETUID, [mUid], [1, 2]), () => vHot],
  ['SubNetworkDoesNotExist', () => setWeights(9, [0], [1]), () => vHot],
  ['UidsLengthExceedUidsInSubNet', () => setWeights(NETUID, [0, 1, 1], [1, 1, 1]), () => vHot],
  ['HotKeyNotRegisteredInSubNet', () => setWeights(NETUID, [mUid], [1]), () => stranger],
  ['NeuronNoValidatorPermit', () => setWeights(NETUID, [0], [1]), () => mHot],
  ['DuplicateUids', () => setWeights(NETUID, [mUid, mUid], [1, 2]), () => vHot],
  ['UidVecContainInvalidOne', () => setWeights(NETUID, [5], [1]), () => vHot],
] as const)('error: %s', async (name, tx, who) => {
  const before = await storedWeights(0);
  expect(await send(tx(), who())).toBe(`subtensorModule.${name}`);
  expect(await storedWeights(0)).toEqual(before);
});

test('error: NotEnoughStakeToSetWeights', async () => {
  await sudo(api.tx.adminUtils.sudoSetStakeThreshold(10n ** 18n));
  expect(await send(setWeights(NETUID, [mUid], [1]), vHot)).toBe('subtensorModule.NotEnoughStakeToSetWeights');
  await sudo(api.tx.adminUtils.sudoSetStakeThreshold(0));
});

test('error: IncorrectWeightVersionKey', async () => {
  await sudo(api.tx.adminUtils.sudoSetWeightsVersionKey(NETUID, 7));
  expect(await send(setWeights(NETUID, [mUid], [1], 6), vHot)).toBe('subtensorModule.IncorrectWeightVersionKey');
  expect(await send(setWeights(NETUID, [mUid], [1], 7), vHot)).toBeNull();
  await sudo(api.tx.adminUtils.sudoSetWeightsVersionKey(NETUID, 0));
});

test('error: SettingWeightsTooFast', async () => {
  await sudo(api.tx.adminUtils.sudoSetWeightsSetRateLimit(NETUID, 100));
  expect(await send(setWeights(NETUID, [mUid], [1]), vHot)).toBe('subtensorModule.SettingWeightsTooFast');
  await sudo(api.tx.adminUtils.sudoSetWeightsSetRateLimit(NETUID, 0));
});

test('error: WeightVecLengthIsLow', async () => {
  await sudo(api.tx.adminUtils.sudoSetMinAllowedWeights(NETUID, 2));
  expect(await send(setWeights(NETUID, [mUid], [1]), vHot)).toBe('subtensorModule.WeightVecLengthIsLow');
  await sudo(api.tx.adminUtils.sudoSetMinAllowedWeights(NETUID, 1));
});

test('error: MaxWeightExceeded', async () => {
  await sudo(api.tx.adminUtils.sudoSetMaxWeightLimit(NETUID, 30000));
  expect(await send(setWeights(NETUID, [mUid], [1]), vHot)).toBe('subtensorModule.MaxWeightExceeded');
  await sudo(api.tx.adminUtils.sudoSetMaxWeightLimit(NETUID, 65535));
});

test('error: CommitRevealEnabled', async () => {
  await sudo(api.tx.adminUtils.sudoSetCommitRevealWeightsEnabled(NETUID, true));
  expect(await send(setWeights(NETUID, [mUid], [1]), vHot)).toBe('subtensorModule.CommitRevealEnabled');
  await sudo(api.tx.adminUtils.sudoSetCommitRevealWeightsEnabled(NETUID, false));
});
