/**
 * Transaction pool flooding at full size, through the real RPC on 127.0.0.1 with real signed
 * extrinsics: 64 future nonces from each of 128 throw-away keys, as many as the default pool holds
 * (8,192). Before the fee check covered future transactions this filled the pool for good, and every
 * honest submission was refused until a restart.
 *
 * The test takes ~15 s on 2 cores, nearly all of it the node decoding and verifying 8,192 signatures;
 * tests/localnet/pool-limits.test.ts covers the other defences on smaller pools.
 */
import { startLocalnet, type Localnet } from '../../localnet';
import { RawWsClient } from './helpers/rpc-clients';
import { countByCode, devKey, ExtrinsicSigner, submitAll, throwawayKey } from './helpers/signed-batch';

let net: Localnet;
let signer: ExtrinsicSigner;

beforeAll(async () => {
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
  signer = new ExtrinsicSigner(net.chain);
});

afterAll(async () => {
  await net?.close();
});

/** Builds blocks over RPC until `done()` holds; answers how many it took (at most `max`). */
async function blocksUntil(done: () => boolean, max: number): Promise<number> {
  const ws = await RawWsClient.connect(net.url);
  try {
    for (let built = 1; built <= max; built++) {
      const reply = await ws.request('dev_newBlock');
      if (reply.error) throw new Error(`dev_newBlock: ${reply.error.message}`);
      if (done()) return built;
    }
    return Infinity;
  } finally {
    await ws.close();
  }
}

test('attack: 64 future nonces from each of 128 unfunded keys (8,192 = the pool capacity) leave honest transfers included in the next block', async () => {
  const sink = throwawayKey('flood-sink');
  const call = signer.call('Balances', 'transfer_keep_alive', { dest: { Id: sink.publicKey }, value: 1_000n });
  const flood: string[] = [];
  for (let k = 0; k < 128; k++) {
    const key = throwawayKey(`flood-unfunded-${k}`);
    for (let nonce = 1; nonce <= 64; nonce++) flood.push(signer.signCall(key, call, { nonce }));
  }
  expect(flood.length).toBe(net.chain.poolLimits.maxTransactions);
  const outcomes = await submitAll(net.url, flood);

  // None of them can pay a fee: each is refused as Substrate refuses it, and none is pooled.
  expect(countByCode(outcomes)).toEqual({ '1010': flood.length });
  expect(outcomes[0]).toEqual({ code: 1010, message: 'Invalid Transaction', data: expect.stringMatching(/^Inability to pay some fees \(e\.g\. account balance too low\)/) });
  expect(net.chain.poolStatus()).toMatchObject({ transactions: 0, bytes: 0 });

  const alice = devKey('//Alice');
  const bob = devKey('//Bob');
  const dave = devKey('//Dave');
  const honest = [signer.transfer(alice, dave, 1_000_000n, { nonce: 0 }), signer.transfer(bob, dave, 2_000_000n, { nonce: 0 })];
  expect(await submitAll(net.url, honest)).toEqual([null, null]);
  const included = (): boolean => net.chain.accountNextIndex(alice.address) === 1 && net.chain.accountNextIndex(bob.address) === 1 && net.chain.poolStatus().transactions === 0;
  expect(await blocksUntil(included, 3)).toBe(1);
});
