/** A real localnet on 127.0.0.1 driven by a real @polkadot/api client: connect, read, transfer, events. */
import '@polkadot/api-augment';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { ISubmittableResult } from '@polkadot/types/types';
import { startLocalnet, type Localnet } from '../../localnet';
import { eventually } from './helpers/rpc-clients';

let net: Localnet;
let api: ApiPromise;

beforeAll(async () => {
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
  api = await ApiPromise.create({ provider: new WsProvider(net.url), noInitWarn: true, throwOnConnect: true });
});

afterAll(async () => {
  await api?.disconnect();
  await net?.close();
});

function sendAndWait(tx: ReturnType<ApiPromise['tx']['balances']['transferAllowDeath']>, signer: ReturnType<Keyring['addFromUri']>): Promise<ISubmittableResult> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      // With instant finality the client may report only Finalized (it drops InBlock's event fetch).
      if (result.status.isInBlock || result.status.isFinalized) resolve(result);
      if (result.isError) reject(new Error(result.status.type));
    }).catch(reject);
    // Manual seal: build the block once the transaction is in the pool (a fixed delay races a loaded machine).
    eventually(() => net.chain.poolStatus().transactions > 0, 30_000)
      .then(() => net.chain.newBlock())
      .catch(reject);
  });
}

test('default: the client connects and reads genesis state', async () => {
  expect(api.runtimeVersion.specVersion.toNumber()).toBe(219);
  expect((await api.rpc.system.chain()).toString()).toBe('Bittensor localnet');
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const account = await api.query.system.account(alice.address);
  expect(account.data.free.toBigInt()).toBe(1_000_000n * 1_000_000_000n);
  expect((await api.query.sudo.key()).toString()).toBe(alice.address);
});

test('behavior: a signed transfer is included with its events and fee', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const dave = keyring.addFromUri('//Dave');
  const before = (await api.query.system.account(dave.address)).data.free.toBigInt();
  const result = await sendAndWait(api.tx.balances.transferAllowDeath(dave.address, 12_345_678n), alice);
  const names = result.events.map(({ event }) => `${event.section}.${event.method}`);
  expect(names).toEqual(['balances.Withdraw', 'balances.Transfer', 'transactionPayment.TransactionFeePaid', 'system.ExtrinsicSuccess']);
  const after = (await api.query.system.account(dave.address)).data.free.toBigInt();
  expect(after - before).toBe(12_345_678n);
  expect((await api.query.system.account(alice.address)).nonce.toNumber()).toBe(1);
});
