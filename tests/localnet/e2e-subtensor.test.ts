/**
 * The subtensor surface through a real @polkadot/api client on a real localnet: subnet creation,
 * registration, serving, staking, weights and an epoch, then the metagraph read back through both the
 * storage queries and subtensor's custom RPCs (SCALE bytes decoded with the structs the SDKs use).
 */
import '@polkadot/api-augment';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import type { bool, Option, u16, Vec } from '@polkadot/types';
import { startLocalnet, type Localnet } from '../../localnet';

let net: Localnet;
let api: ApiPromise;
const keyring = new Keyring({ type: 'sr25519' });

beforeAll(async () => {
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
  api = await ApiPromise.create({ provider: new WsProvider(net.url), noInitWarn: true });
  api.registry.register({
    AxonInfo: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ip_type: 'u8', protocol: 'u8', placeholder1: 'u8', placeholder2: 'u8' },
    PrometheusInfo: { block: 'u64', version: 'u32', ip: 'u128', port: 'u16', ip_type: 'u8' },
    NeuronInfoLite: {
      hotkey: 'AccountId', coldkey: 'AccountId', uid: 'Compact<u16>', netuid: 'Compact<u16>', active: 'bool', axon_info: 'AxonInfo',
      prometheus_info: 'PrometheusInfo', stake: 'Vec<(AccountId, Compact<u64>)>', rank: 'Compact<u16>', emission: 'Compact<u64>',
      incentive: 'Compact<u16>', consensus: 'Compact<u16>', trust: 'Compact<u16>', validator_trust: 'Compact<u16>', dividends: 'Compact<u16>',
      last_update: 'Compact<u64>', validator_permit: 'bool', pruning_score: 'Compact<u16>',
    },
  });
});

afterAll(async () => {
  await api?.disconnect();
  await net?.close();
});

/** Signs, submits, seals one block, and returns the extrinsic's outcome (error as `section.name`). */
async function send(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<{ error: string | null; result: ISubmittableResult }> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      if (!result.status.isInBlock && !result.status.isFinalized) return;
      const failed = result.dispatchError;
      let error: string | null = null;
      if (failed?.isModule) {
        const meta = api.registry.findMetaError(failed.asModule);
        error = `${meta.section}.${meta.name}`;
      } else if (failed) error = failed.type;
      resolve({ error, result });
    })
      .then(() => net.chain.newBlock())
      .catch(reject);
  });
}

test('behavior: a subnet lives through the real client: register, serve, stake, weights, epoch, metagraph', async () => {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const vHot = keyring.addFromUri('//Alice//validator');
  const mHot = keyring.addFromUri('//Bob//miner');

  // Network creation needs the global rate limit out of the way on a fresh chain.
  expect((await send(api.tx.sudo.sudo(api.tx.adminUtils.sudoSetNetworkRateLimit(0)), alice)).error).toBeNull();
  expect((await send(api.tx.subtensorModule.registerNetwork(), alice)).error).toBeNull();
  const netuid = 1;
  expect(((await api.query.subtensorModule.networksAdded(netuid)) as bool).isTrue).toBe(true);

  for (const [tx, who] of [
    [api.tx.sudo.sudo(api.tx.adminUtils.sudoSetTempo(netuid, 5)), alice],
    [api.tx.adminUtils.sudoSetWeightsSetRateLimit(netuid, 0), alice],
    [api.tx.sudo.sudo(api.tx.adminUtils.sudoSetTargetRegistrationsPerInterval(netuid, 10)), alice],
    [api.tx.subtensorModule.burnedRegister(netuid, vHot.address), alice],
    [api.tx.subtensorModule.burnedRegister(netuid, mHot.address), bob],
    [api.tx.subtensorModule.addStake(vHot.address, 1000n * 10n ** 9n), alice],
    [api.tx.subtensorModule.serveAxon(netuid, 1, (127n << 24n) + 2n, 8091, 4, 0, 0, 0), mHot],
  ] as const) {
    const { error } = await send(tx, who);
    expect(error).toBeNull();
  }
  expect(((await api.query.subtensorModule.subnetworkN(netuid)) as u16).toNumber()).toBe(2);
  const vUid = ((await api.query.subtensorModule.uids(netuid, vHot.address)) as Option<u16>).unwrap().toNumber();
  const mUid = ((await api.query.subtensorModule.uids(netuid, mHot.address)) as Option<u16>).unwrap().toNumber();

  // The first epoch grants permits; then the validator weights the miner.
  for (let i = 0; i < 7; i++) await net.chain.newBlock();
  expect(((await api.query.subtensorModule.validatorPermit(netuid)) as Vec<bool>).map((p) => p.isTrue)).toEqual([true, true]);
  const bad = await send(api.tx.subtensorModule.setWeights(netuid, [mUid, mUid], [1, 2], 0), vHot);
  expect(bad.error).toBe('subtensorModule.DuplicateUids');
  expect((await send(api.tx.subtensorModule.setWeights(netuid, [mUid], [65535], 0), vHot)).error).toBeNull();
  for (let i = 0; i < 7; i++) await net.chain.newBlock();

  const incentive = ((await api.query.subtensorModule.incentive(netuid)) as Vec<u16>).map((x) => x.toNumber());
  const dividends = ((await api.query.subtensorModule.dividends(netuid)) as Vec<u16>).map((x) => x.toNumber());
  expect(incentive[mUid]).toBe(65535);
  expect(dividends[vUid]).toBe(65535);

  // subtensor's custom RPC answers SCALE bytes as a JSON array, decoded with the SDKs' struct.
  const provider = api['_rpcCore'].provider as WsProvider;
  const bytes = Uint8Array.from(await provider.send<number[]>('neuronInfo_getNeuronsLite', [netuid]));
  const neurons = api.registry.createType('Vec<NeuronInfoLite>', bytes) as unknown as Array<{ hotkey: { toString(): string }; incentive: { toNumber(): number }; dividends: { toNumber(): number }; axon_info: { port: { toNumber(): number } } }>;
  expect(neurons.map((n) => n.hotkey.toString())).toEqual([vHot.address, mHot.address]);
  expect(neurons[mUid]!.incentive.toNumber()).toBe(65535);
  expect(neurons[vUid]!.dividends.toNumber()).toBe(65535);
  expect(neurons[mUid]!.axon_info.port.toNumber()).toBe(8091);
});
