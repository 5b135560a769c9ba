/**
 * The conformance scenarios against a real subtensor node at `TENSORNET_TEST_SUBTENSOR_URL` (ws:// or
 * wss://), which must fund //Alice..//Ferdie and have //Alice as sudo (subtensor's own localnet does).
 * Blocks come on their own there. Without the variable the suite is reported as skipped.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, type ChainClient } from '../../chain-client';
import { conformanceScenarios, devSigners, pollBlocks, type ConformanceEnv } from './scenario';

const url = process.env['TENSORNET_TEST_SUBTENSOR_URL'];

if (url === undefined || url === '') {
  describe.skip('conformance: real subtensor node (skipped: TENSORNET_TEST_SUBTENSOR_URL is not set)', () => {
    test('set TENSORNET_TEST_SUBTENSOR_URL=ws://… to run the conformance scenarios against a real node', () => undefined);
  });
} else {
  let client: ChainClient | undefined;
  let env: ConformanceEnv | undefined;

  beforeAll(async () => {
    await cryptoWaitReady();
    const c = await connect({ network: url, timeoutMs: 60_000 });
    client = c;
    env = { client: c, signers: devSigners(), runTag: `${Date.now()}`, waitBlocks: (n) => pollBlocks(c, n, 100) };
  }, 120_000);

  afterAll(async () => {
    await client?.close();
  });

  describe(`conformance: real subtensor node at ${url.replace(/\/\/[^@/]*@/, '//***@')}`, () => {
    jest.setTimeout(600_000);
    conformanceScenarios(() => {
      if (!env) throw new Error(`could not connect to ${url}`);
      return env;
    });
  });
}
