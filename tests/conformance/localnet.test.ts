/**
 * The conformance scenarios against a localnet started here (port 0, 50 ms blocks made by the node).
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../localnet';
import { connect, type ChainClient } from '../../chain-client';
import { localnetRuntime } from './runtime-features';
import { conformanceScenarios, devSigners, pollBlocks, type ConformanceEnv } from './scenario';

let net: Localnet | undefined;
let client: ChainClient | undefined;
let env: ConformanceEnv | undefined;

beforeAll(async () => {
  await cryptoWaitReady();
  net = await startLocalnet({ port: 0, blockTimeMs: 50 });
  const c = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  client = c;
  env = { client: c, signers: devSigners(), runTag: 'localnet', waitBlocks: (n) => pollBlocks(c, n, 10) };
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
});

describe('conformance: localnet started by the test', () => {
  conformanceScenarios(() => {
    if (!env) throw new Error('the localnet did not start');
    return env;
  }, localnetRuntime());
});
