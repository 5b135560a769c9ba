/**
 * The conformance scenarios against a real subtensor node at `TENSORNET_TEST_SUBTENSOR_URL` (ws:// or
 * wss://), which must fund //Alice..//Ferdie and have //Alice as sudo (subtensor's own localnet does).
 * Blocks come on their own there. Scenarios whose calls the node's runtime lacks are declared skipped,
 * naming them. Without the variable the suite is reported as skipped. How to run it against a real
 * runtime: tests/conformance/README.md.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, type ChainClient, type RuntimeView } from '../../chain-client';
import { nodeRuntime } from './runtime-features';
import { conformanceScenarios, devSigners, pollBlocks, type ConformanceEnv } from './scenario';

const url = process.env['TENSORNET_TEST_SUBTENSOR_URL'];

if (url === undefined || url === '') {
  describe.skip('conformance: real subtensor node (skipped: TENSORNET_TEST_SUBTENSOR_URL is not set)', () => {
    test('set TENSORNET_TEST_SUBTENSOR_URL=ws://… to run the conformance scenarios against a real node', () => undefined);
  });
} else {
  let runtime: RuntimeView | undefined;
  let unreachable: Error | undefined;
  try {
    runtime = nodeRuntime(url);
  } catch (err) {
    unreachable = err as Error;
  }
  let client: ChainClient | undefined;
  let env: ConformanceEnv | undefined;

  beforeAll(async () => {
    if (!runtime) return;
    await cryptoWaitReady();
    const c = await connect({ network: url, timeoutMs: 60_000 });
    client = c;
    env = { client: c, signers: devSigners(), runTag: `${Date.now()}`, waitBlocks: (n) => pollBlocks(c, n, 100) };
  }, 120_000);

  afterAll(async () => {
    await client?.close();
  });

  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  if (!runtime) {
    test(`conformance: the node at ${shown} answers`, () => {
      throw unreachable;
    });
  } else {
    describe(`conformance: real subtensor node at ${shown} (${runtime.identity.specName} spec ${runtime.identity.specVersion})`, () => {
      jest.setTimeout(600_000);
      conformanceScenarios(() => {
        if (!env) throw new Error(`could not connect to ${url}`);
        return env;
      }, runtime);
    });
  }
}
