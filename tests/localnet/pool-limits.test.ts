/**
 * The transaction pool's defences, through the real RPC on 127.0.0.1 with real signed extrinsics:
 * the fee check over everything a sender has queued, the bounds on future transactions (per sender,
 * pool-wide, in time), and which transaction goes when the pool is full.
 *
 * The pools here are configured smaller than the default 8,192 so that the tests stay fast; the limits
 * keep Substrate's proportions (future = a tenth of the total) and run the same code path.
 * tests/localnet/pool-flood.test.ts floods a pool of the default size.
 */
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../localnet';
import type { AccountId } from '../../localnet/runtime/primitives';
import { RawWsClient } from './helpers/rpc-clients';
import { countByCode, devKey, ExtrinsicSigner, submitAll, throwawayKey, type SigningKey, type SubmitOutcome } from './helpers/signed-batch';

const TAO = 1_000_000_000n;
const nets: Localnet[] = [];

afterAll(async () => {
  for (const net of nets) await net.close();
});

async function start(options: Parameters<typeof startLocalnet>[0]): Promise<{ net: Localnet; signer: ExtrinsicSigner }> {
  const net = await startLocalnet({ port: 0, blockTimeMs: 0, ...options });
  nets.push(net);
  return { net, signer: new ExtrinsicSigner(net.chain) };
}

async function rpc(net: Localnet, method: string, params: unknown[] = []): Promise<unknown> {
  const ws = await RawWsClient.connect(net.url);
  try {
    const reply = await ws.request(method, params);
    if (reply.error) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result;
  } finally {
    await ws.close();
  }
}

async function submitOne(net: Localnet, hex: string): Promise<SubmitOutcome> {
  return (await submitAll(net.url, [hex]))[0]!;
}

function funded(keys: readonly SigningKey[], free: bigint): Array<readonly [AccountId, bigint]> {
  return keys.map((k) => [u8aToHex(k.publicKey) as AccountId, free] as const);
}

test('attack: 64 future nonces from each of 16 unfunded keys, as free calls that pass the fee check, take at most a tenth of the pool and expire', async () => {
  // 1,024 transactions: an eighth of the default pool, the flood scaled with it (16 keys instead of 128).
  const { net, signer } = await start({ pool: { maxTransactions: 1024 } });
  const limits = net.chain.poolLimits;
  expect(limits).toMatchObject({ maxTransactions: 1024, maxFuture: 102, maxFuturePerSender: 16, maxNonceGap: 64, futureLongevityBlocks: 64 });
  // SubtensorModule calls are Pays::No: an account with no balance passes the fee check.
  const setWeights = signer.call('SubtensorModule', 'set_weights', { netuid: 1, dests: [], weights: [], version_key: 0 });

  const watcher = await RawWsClient.connect(net.url);
  const watched = await watcher.request('author_submitAndWatchExtrinsic', [signer.signCall(throwawayKey('watched'), setWeights, { nonce: 1 })]);
  const subscription = watched.result as string;

  const flood: string[] = [];
  for (let k = 0; k < 16; k++) {
    const key = throwawayKey(`free-flood-${k}`);
    for (let nonce = 1; nonce <= 64; nonce++) flood.push(signer.signCall(key, setWeights, { nonce }));
  }
  const outcomes = await submitAll(net.url, flood);
  expect(countByCode(outcomes)).toEqual({ ok: limits.maxFuture - 1, '1016': flood.length - (limits.maxFuture - 1) });
  // The first key keeps 16 futures; its 17th is refused by the per-sender bound while the pool has room.
  expect(outcomes.slice(0, 16).every((o) => o === null)).toBe(true);
  expect(outcomes[16]).toEqual({ code: 1016, message: 'Immediately Dropped', data: expect.stringContaining('at most 16 transactions per account') });
  const last = outcomes[outcomes.length - 1]!;
  expect(last).toEqual({ code: 1016, message: 'Immediately Dropped', data: expect.stringContaining(`${limits.maxFuture} transactions or ${limits.maxFutureBytes} bytes`) });

  const status = net.chain.poolStatus();
  expect(status).toMatchObject({ transactions: limits.maxFuture, future: limits.maxFuture, ready: 0 });
  expect(status.futureBytes).toBe(status.bytes);
  expect(status.bytes).toBeLessThanOrEqual(limits.maxFutureBytes);

  // Honest transfers still get in, in the next block.
  const alice = devKey('//Alice');
  const dave = devKey('//Dave');
  expect(await submitOne(net, signer.transfer(alice, dave, TAO, { nonce: 0 }))).toBeNull();
  await rpc(net, 'dev_newBlock');
  expect(net.chain.accountNextIndex(alice.address)).toBe(1);

  // Futures whose predecessor never comes are dropped after their longevity.
  await rpc(net, 'dev_newBlock', [{ count: limits.futureLongevityBlocks - 2 }]);
  expect(net.chain.poolStatus().future).toBe(limits.maxFuture);
  await rpc(net, 'dev_newBlock');
  expect(net.chain.poolStatus()).toEqual({ transactions: 0, ready: 0, future: 0, bytes: 0, futureBytes: 0, senders: 0 });
  const [ready, dropped] = await watcher.waitForNotifications(subscription, 2);
  expect(ready!.params.result).toBe('ready');
  expect(dropped!.params.result).toBe('dropped');
  await watcher.close();
});

test('behavior: a full pool evicts a future transaction before a ready one and the lowest tip first; an arrival that would rank lowest gets 1016 Immediately Dropped', async () => {
  await cryptoWaitReady();
  const k = Array.from({ length: 6 }, (_, i) => throwawayKey(`full-pool-${i}`));
  const { net, signer } = await start({ pool: { maxTransactions: 4, maxFuture: 2 }, genesis: { balances: funded(k, 10n * TAO) } });
  const sink = throwawayKey('full-pool-sink');
  const tx = (key: SigningKey, nonce: number, tip: bigint, value = TAO): string => signer.transfer(key, sink, value, { nonce, tip });
  const pending = async (): Promise<string[]> => (await rpc(net, 'author_pendingExtrinsics')) as string[];

  const richFuture = tx(k[2]!, 1, 100n);
  expect(await submitAll(net.url, [tx(k[0]!, 0, 5n), tx(k[1]!, 0, 1n), richFuture, tx(k[3]!, 0, 0n)])).toEqual([null, null, null, null]);
  expect(net.chain.poolStatus()).toMatchObject({ transactions: 4, ready: 3, future: 1 });

  // Full: a ready arrival pushes out the future one, whatever its tip.
  const k4 = tx(k[4]!, 0, 0n);
  expect(await submitOne(net, k4)).toBeNull();
  expect(await pending()).not.toContain(richFuture);
  expect(net.chain.poolStatus()).toMatchObject({ transactions: 4, ready: 4, future: 0 });

  // Full of ready ones: an arrival with no higher tip than the lowest ranks lowest itself.
  expect(await submitOne(net, tx(k[5]!, 0, 0n))).toEqual({ code: 1016, message: 'Immediately Dropped', data: expect.stringContaining("couldn't enter the pool because of the limit") });
  // A future arrival ranks below every ready transaction.
  expect(await submitOne(net, richFuture)).toMatchObject({ code: 1016 });
  // A higher tip evicts the lowest-tip transaction, the later arrival among equals (k4, not k3).
  expect(await submitOne(net, tx(k[5]!, 0, 2n))).toBeNull();
  expect(await pending()).not.toContain(k4);
  expect(net.chain.poolStatus()).toMatchObject({ transactions: 4, ready: 4 });

  await rpc(net, 'dev_newBlock');
  expect(net.chain.poolStatus().transactions).toBe(0);
  for (const i of [0, 1, 3, 5]) expect(net.chain.accountNextIndex(k[i]!.address)).toBe(1);
  expect(net.chain.accountNextIndex(k[4]!.address)).toBe(0);
});

test('behavior: the fee check covers everything the sender has queued, ready and future; replacements and the nonce gap', async () => {
  await cryptoWaitReady();
  const payer = throwawayKey('fee-payer');
  const sink = throwawayKey('fee-sink');
  // Learn a transfer's fee from the node, then fund the payer for two and a half of them.
  const { net: probe, signer: probeSigner } = await start({});
  const info = (await rpc(probe, 'payment_queryInfo', [probeSigner.transfer(payer, sink, 1n, { nonce: 0 })])) as { partialFee: string | number };
  const fee = BigInt(info.partialFee);
  expect(fee).toBeGreaterThan(0n);

  const { net, signer } = await start({ genesis: { balances: funded([payer], 500n + (5n * fee) / 2n) } });
  const transfer = (nonce: number, tip = 0n, value = 1n): string => signer.transfer(payer, sink, value, { nonce, tip });

  const first = transfer(0);
  expect(await submitOne(net, first)).toBeNull();
  expect(await submitOne(net, transfer(2))).toBeNull();
  const third = await submitOne(net, transfer(3));
  expect(third).toEqual({ code: 1010, message: 'Invalid Transaction', data: expect.stringMatching(/^Inability to pay some fees \(e\.g\. account balance too low\): 3 queued transaction\(s\) of this account need/) });
  // The same nonce and tip: 1014, Substrate's message. A higher tip the balance cannot cover: 1010.
  expect(await submitOne(net, transfer(2, 0n, 2n))).toEqual({
    code: 1014,
    message: 'Priority is too low: (0 vs 0)',
    data: 'The transaction has too low priority to replace another transaction already in the pool.',
  });
  expect(await submitOne(net, transfer(2, fee, 2n))).toMatchObject({ code: 1010, data: expect.stringMatching(/^Inability to pay some fees/) });
  expect(await submitOne(net, transfer(2, fee / 2n - 10n, 2n))).toBeNull();
  // Further ahead than the gap allows: refused whatever the balance.
  expect(await submitOne(net, transfer(65))).toMatchObject({ code: 1010, data: expect.stringContaining('more than 64 ahead') });
  expect(await submitOne(net, first)).toMatchObject({ code: 1013, message: 'Transaction Already Imported' });
  expect(net.chain.poolStatus()).toMatchObject({ transactions: 2, ready: 1, future: 1 });
});
