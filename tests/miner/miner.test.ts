/**
 * The miner's chain presence against a real localnet over loopback: it announces its external address
 * with serve_axon, re-announces when the address changes, registers when asked, and admits callers from
 * the metagraph it keeps synced.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { z } from 'zod';
import { burnedRegister, connect, metagraph, type ChainClient } from '../../chain-client';
import { keypairFromUri } from '../../chain-client/wallet';
import { Miner, MinerError } from '../../miner';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { defineSynapse, PROTOCOL_VERSION } from '../../protocol';
import { seededGenesis } from '../chain-client/helpers/subnet';
import { send, signed } from './axon-client';

const Dummy = defineSynapse({ name: 'Dummy', request: { dummy_input: z.number().int() }, response: { dummy_output: z.number().int() } });
const NETUID = 1;
const EXTERNAL_IP = '203.0.113.7';

let net: Localnet;
let client: ChainClient;

beforeAll(async () => {
  await cryptoWaitReady();
  const doc = seededGenesis(7, 2, 2) as { subnets: Array<{ hyperparameters: Record<string, number> }> };
  doc.subnets[0]!.hyperparameters['ServingRateLimit'] = 0;
  const file = parseGenesisFile(doc);
  net = await startLocalnet({ port: 0, blockTimeMs: 50, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
}, 30_000);

afterAll(async () => {
  await client.close();
  await net.close();
});

const start = (hotkeyUri: string, extra: Partial<Parameters<typeof Miner.start>[0]> = {}) =>
  Miner.start({ client, netuid: NETUID, hotkey: keypairFromUri(hotkeyUri), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000, ...extra }, (axon) => {
    axon.attach(Dummy, async (input) => ({ dummy_output: input.dummy_input + 1 }));
  });

async function announced(hotkey: string): Promise<{ ip: string; port: number; version: number }> {
  const graph = await metagraph(client, { netuid: NETUID });
  const axon = graph.axons[graph.hotkeys.indexOf(hotkey)]!;
  return { ip: axon.ip, port: axon.port, version: axon.version };
}

test('default: announces its external address on chain and serves registered callers only', async () => {
  const miner = await start('//Bob//m0');
  try {
    expect(await announced(miner.axon.hotkey)).toEqual({ ip: EXTERNAL_IP, port: miner.axon.port, version: PROTOCOL_VERSION });
    const req = (who: string) => signed(miner.axon.port, { synapse: Dummy, input: { dummy_input: 1 }, hotkey: keypairFromUri(who), axonHotkey: miner.axon.hotkey });
    const ok = await send(req('//Alice//v0'));
    expect({ status: ok.status, out: ok.json['dummy_output'] }).toEqual({ status: 200, out: 2 });
    expect((await send(req('//Stranger'))).status).toBe(403);

    // A hotkey registered after start is admitted once the clocked refresh has synced the metagraph.
    const late = keypairFromUri('//Charlie//late');
    await burnedRegister(client, { signer: keypairFromUri('//Charlie'), netuid: NETUID, hotkey: late.address });
    expect(miner.callers.lookup(late.address)).toBeUndefined();
    await miner.refresh();
    expect(miner.callers.lookup(late.address)).toMatchObject({ validatorPermit: false });
    expect((await send(req('//Charlie//late'))).status).toBe(200);
  } finally {
    await miner.stop();
  }
}, 30_000);

test('behavior: re-announces when the external address changes', async () => {
  const first = await start('//Bob//m1', { externalPort: 40_001 });
  await first.stop();
  expect((await announced(first.axon.hotkey)).port).toBe(40_001);
  const second = await start('//Bob//m1', { externalPort: 40_002 });
  await second.stop();
  expect(await announced(second.axon.hotkey)).toEqual({ ip: EXTERNAL_IP, port: 40_002, version: PROTOCOL_VERSION });
}, 30_000);

test('error: an unregistered hotkey needs --register; with a coldkey it registers and serves', async () => {
  await expect(start('//Dave//miner')).rejects.toMatchObject({ code: 'HotKeyNotRegisteredInNetwork' });
  await expect(start('//Dave//miner', { register: true })).rejects.toBeInstanceOf(MinerError);
  const miner = await start('//Dave//miner', { register: true, coldkey: keypairFromUri('//Charlie') });
  try {
    expect(miner.uid).toBeGreaterThanOrEqual(0);
    expect((await announced(miner.axon.hotkey)).ip).toBe(EXTERNAL_IP);
  } finally {
    await miner.stop();
  }
}, 30_000);

test('error: a subnet that does not exist', async () => {
  await expect(start('//Bob//m0', { netuid: 77 })).rejects.toMatchObject({ code: 'SubNetworkDoesNotExist' });
});
