/** `tensornet metagraph show` through the CLI's parser, against a seeded localnet on 127.0.0.1. */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet';
import { seededGenesis } from '../chain-client/helpers/subnet';

let net: Localnet;

beforeAll(async () => {
  await cryptoWaitReady();
  const file = parseGenesisFile(seededGenesis(11, 2, 3));
  net = await startLocalnet({ port: 0, blockTimeMs: 0, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
}, 30_000);

afterAll(async () => {
  await net.close();
});

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

test('show: every neuron with its stake and permit, as JSON and as a table, sorted on request', async () => {
  const json = await cli(['metagraph', 'show', '--netuid', '1', '--network', net.url, '--json', '--sort', 'stake']);
  expect(json.code).toBe(0);
  const doc = JSON.parse(json.out) as { netuid: number; neurons: Array<{ uid: number; stake: unknown; hotkey: string }> };
  expect(doc.netuid).toBe(1);
  expect(doc.neurons).toHaveLength(5);
  // Sorted by stake: the two staked validators first.
  expect(doc.neurons.slice(0, 2).map((n) => n.uid).sort()).toEqual([0, 1]);
  const text = await cli(['metagraph', 'show', '--netuid', '1', '--network', net.url]);
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/^subnet 1 at block \d+: 5 neurons\n/);
  expect(text.out).toMatch(/UID +HOTKEY +STAKE τ/);
});

test('errors: a subnet that does not exist, an unreachable chain', async () => {
  expect(await cli(['metagraph', 'show', '--netuid', '9', '--network', net.url])).toMatchObject({ code: 2, err: 'tensornet: subnet 9 does not exist (tensornet subnet list shows the subnets)\n' });
  const unreachable = await cli(['metagraph', 'show', '--netuid', '1', '--network', 'ws://127.0.0.1:1']);
  expect(unreachable.code).toBe(2);
  expect(unreachable.err).toMatch(/^tensornet: cannot reach the chain: .*ECONNREFUSED.*\n$/);
});
