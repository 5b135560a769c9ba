/**
 * Nonce management on a real localnet through a real client: 20 concurrent transfers from one key all
 * land; a "priority too low" clash is retried with a fresh nonce; a stale explicit nonce is typed.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../localnet';
import { connect, type ChainClient } from '../../chain-client';
import { nonceManager } from '../../chain-client/nonce';
import { submit } from '../../chain-client/submit';
import { PoolRejectedError } from '../../chain-client/operations/errors';
import { freeBalance } from '../../chain-client/operations/remedy';

let net: Localnet;
let client: ChainClient;
const keyring = new Keyring({ type: 'sr25519' });

beforeAll(async () => {
  await cryptoWaitReady();
  net = await startLocalnet({ port: 0, blockTimeMs: 100 });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
});

afterAll(async () => {
  await client?.close();
  await net?.close();
});

test('behavior: 20 concurrent transfers from one key all land, with consecutive nonces', async () => {
  const alice = keyring.addFromUri('//Alice');
  const start = (await client.api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const dests = Array.from({ length: 20 }, (_, i) => keyring.addFromUri(`//Alice//nonce-dest-${i}`).address);
  const results = await Promise.all(
    dests.map((dest, i) => submit(client, { tx: client.api.tx.balances.transferKeepAlive(dest, 1_000_000_000n + BigInt(i)), signer: alice })),
  );
  expect(results.map((r) => r.nonce).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => start + i));
  for (const r of results) expect(r.events.some((e) => e.pallet === 'Balances' && e.name === 'Transfer')).toBe(true);
  const balances = await Promise.all(dests.map((d) => freeBalance(client, d)));
  expect(balances).toEqual(dests.map((_, i) => 1_000_000_000n + BigInt(i)));
  expect((await client.api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(start + 20);
});

test('behavior: a "priority too low" clash is retried with a fresh nonce', async () => {
  const bob = keyring.addFromUri('//Bob');
  const dest = keyring.addFromUri('//Bob//clash').address;
  const manager = nonceManager(client);
  const nonces: number[] = [];
  const result = await manager.withNonce(bob.address, async (nonce) => {
    nonces.push(nonce);
    if (nonces.length === 1) {
      // Another process takes this nonce first: our extrinsic with the same nonce and tip is refused (1014).
      await client.api.tx.balances.transferKeepAlive(dest, 5n).signAndSend(bob, { nonce });
    }
    return client.api.tx.balances.transferKeepAlive(dest, 7n).signAndSend(bob, { nonce });
  });
  expect(result.toHex()).toMatch(/^0x[0-9a-f]{64}$/);
  expect(nonces).toHaveLength(2);
  expect(nonces[1]).toBe(nonces[0]! + 1);
});

test('error: an explicit stale nonce is a typed PoolRejectedError (Stale)', async () => {
  const alice = keyring.addFromUri('//Alice');
  const err = await submit(client, { tx: client.api.tx.balances.transferKeepAlive(keyring.addFromUri('//x').address, 1_000_000_000n), signer: alice, nonce: 0 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PoolRejectedError);
  expect((err as PoolRejectedError).reason).toBe('Stale');
  expect((err as PoolRejectedError).rpcCode).toBe(1010);
});

test('error: retries are bounded: a permanently clashing submit fails after maxAttempts', async () => {
  const charlie = keyring.addFromUri('//Charlie');
  let calls = 0;
  const err = await nonceManager(client)
    .withNonce(
      charlie.address,
      async () => {
        calls += 1;
        throw new Error('1014: Priority is too low: (a transaction with the same sender and nonce is already in the pool)');
      },
      { maxAttempts: 3 },
    )
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PoolRejectedError);
  expect((err as PoolRejectedError).reason).toBe('PriorityTooLow');
  expect(calls).toBe(3);
});
