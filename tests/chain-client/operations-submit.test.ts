/**
 * `submit()` on a real localnet through a real client: inclusion and finalization results (fee, block,
 * events), typed dispatch errors with a remedy, typed pool rejections, bounded waits.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../localnet';
import { connect, RequestTimeoutError, type ChainClient } from '../../chain-client';
import { submit } from '../../chain-client/submit';
import { DispatchFailedError, InvalidParametersError, PoolRejectedError, TransactionDroppedError } from '../../chain-client/operations/errors';
import { registerNetwork } from '../../chain-client/operations';
import { sendSudo } from '../../chain-client/operations/common';
import { keypairFromUri, keypairFromPublic } from '../../chain-client/wallet';

let net: Localnet;
let client: ChainClient;
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');

/** Builds blocks until `p` settles (manual block production). */
async function sealing<T>(p: Promise<T>): Promise<T> {
  let done = false;
  const settled = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  void settled.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((r) => setTimeout(r, 20));
    if (!done) await net.chain.newBlock();
  }
  const outcome = await settled;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

beforeAll(async () => {
  await cryptoWaitReady();
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
  client = await connect({ network: net.url, timeoutMs: 5_000, reconnectDelayMs: 0 });
});

afterAll(async () => {
  await client?.close();
  await net?.close();
});

test('default: waits for inclusion and returns block, fee and events', async () => {
  const dest = keyring.addFromUri('//Alice//submit-dest').address;
  const result = await sealing(submit(client, { tx: client.api.tx.balances.transferKeepAlive(dest, 3_000_000_000n), signer: alice }));
  expect(result.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
  const header = await client.api.rpc.chain.getHeader(result.blockHash);
  expect(result.blockNumber).toBe(header.number.toNumber());
  expect(result.fee.rao).toBeGreaterThan(0n);
  const paid = result.events.find((e) => e.pallet === 'TransactionPayment' && e.name === 'TransactionFeePaid');
  expect(BigInt(String(paid!.data[1]))).toBe(result.fee.rao);
  expect(result.events.map((e) => `${e.pallet}.${e.name}`)).toContain('System.ExtrinsicSuccess');
});

test("args: waitFor 'finalized' with a wallet keypair as signer", async () => {
  const signer = keypairFromUri('//Alice');
  const result = await sealing(submit(client, { tx: client.api.tx.system.remark('0x01'), signer, waitFor: 'finalized' }));
  const finalized = await client.api.rpc.chain.getFinalizedHead();
  const finalizedNumber = (await client.api.rpc.chain.getHeader(finalized)).number.toNumber();
  expect(finalizedNumber).toBeGreaterThanOrEqual(result.blockNumber);
});

test('error: a failed dispatch is a DispatchFailedError naming the pallet error, fee spent', async () => {
  // Stake on a hotkey that has no owner: SubtensorModule.HotKeyAccountNotExists.
  const err = await sealing(submit(client, { tx: client.api.tx.subtensorModule.addStake(keyring.addFromUri('//nobody').address, 1_000_000_000n), signer: alice })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DispatchFailedError);
  const failed = err as DispatchFailedError;
  expect(failed.code).toBe('DispatchFailed');
  expect(failed.pallet).toBe('SubtensorModule');
  expect(failed.error).toBe('HotKeyAccountNotExists');
  expect(failed.preflight).toBe(false);
  expect(failed.details.blockHash).toMatch(/^0x/);
});

test('error: a pool rejection (no funds for the fee) is a typed PoolRejectedError', async () => {
  const poor = keyring.addFromUri('//Poor//submit');
  const err = await submit(client, { tx: client.api.tx.system.remark('0x02'), signer: poor }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PoolRejectedError);
  expect((err as PoolRejectedError).rpcCode).toBe(1010);
  expect((err as PoolRejectedError).reason).toBe('Invalid');
});

test('error: no block within timeoutMs is a RequestTimeoutError', async () => {
  const err = await submit(client, { tx: client.api.tx.system.remark('0x03'), signer: alice, timeoutMs: 300 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RequestTimeoutError);
  await net.chain.newBlock();
});

test('error: a public-only wallet key cannot sign', async () => {
  const err = await submit(client, { tx: client.api.tx.system.remark('0x04'), signer: keypairFromPublic({ ss58Address: alice.address }) }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidParametersError);
});

test('error: an extrinsic the block builder rejects (a call that panics) is a TransactionDroppedError', async () => {
  // PoW register with 1-byte work panics in H256::from_slice: the extrinsic is dropped from the block as Invalid.
  await sealing(sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkRateLimit(0), alice, {}));
  const { netuid } = await sealing(registerNetwork(client, { signer: alice }));
  await sealing(sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkPowRegistrationAllowed(netuid, true), alice, {}));
  const best = (await client.api.rpc.chain.getHeader()).number.toNumber();
  const tx = client.api.tx.subtensorModule.register(netuid, best, 0, '0x01', alice.address, alice.address);
  const err = await sealing(submit(client, { tx, signer: alice })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TransactionDroppedError);
  expect((err as TransactionDroppedError).details.status).toBe('Invalid');
  // The nonce manager forgot the dropped nonce: the next submission still lands.
  const next = await sealing(submit(client, { tx: client.api.tx.system.remark('0x05'), signer: alice }));
  expect(next.blockNumber).toBeGreaterThan(0);
});
