/**
 * `tensornet subnet hyperparameters get|set` through `runCli`, in process, against a localnet on
 * 127.0.0.1 (//Alice is sudo) with subnet 1 owned by //Bob: the owner sets owner-settable ones, only the
 * sudo key sets root-only ones (through Sudo.sudo), anyone else gets the chain's BadOrigin in one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, getHyperparameters, HYPERPARAMETERS, type ChainClient } from '../../chain-client';
import { keypairFromUri, Wallet } from '../../chain-client/wallet';
import { getCli, runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile, startLocalnet, type Localnet } from '../../localnet';
import { seededGenesis } from '../chain-client/helpers/subnet';

let net: Localnet;
let client: ChainClient;
let dir: string;
let walletPath: string;

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

const set = (wallet: string, name: string, value: string, netuid = '1'): string[] => ['subnet', 'hyperparameters', 'set', '--netuid', netuid, '--name', name, '--value', value, '--wallet', wallet, '--wallet-path', walletPath, '--network', net.url];

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-hyperparameters-cli-'));
  const doc = seededGenesis(3, 1, 1) as { subnets: Array<{ owner: string }> };
  doc.subnets[0]!.owner = '//Bob';
  const file = parseGenesisFile(doc);
  net = await startLocalnet({ port: 0, blockTimeMs: 50, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  walletPath = join(dir, 'wallets');
  for (const [name, uri] of [['owner', '//Bob'], ['sudo', '//Alice'], ['stranger', '//Charlie']] as const) {
    await new Wallet({ name, path: walletPath }).regenerateColdkey({ uri }, { encrypt: false });
  }
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('get: every hyperparameter, as JSON and as a table with who may set it', async () => {
  const json = await cli(['subnet', 'hyperparameters', 'get', '--netuid', '1', '--network', net.url, '--json']);
  expect(json).toMatchObject({ code: 0, err: '' });
  const doc = JSON.parse(json.out) as { netuid: number; hyperparameters: Record<string, string | number | boolean> };
  expect(doc.netuid).toBe(1);
  expect(Object.keys(doc.hyperparameters).sort()).toEqual(Object.keys(HYPERPARAMETERS).sort());
  const onChain = await getHyperparameters(client, { netuid: 1 });
  expect(doc.hyperparameters).toMatchObject({ tempo: onChain.tempo, weights_rate_limit: onChain.weights_rate_limit.toString(), registration_allowed: onChain.registration_allowed });
  const text = await cli(['subnet', 'hyperparameters', 'get', '--netuid', '1', '--network', net.url]);
  expect(text.code).toBe(0);
  expect(text.out).toMatch(new RegExp(`^subnet 1: ${Object.keys(HYPERPARAMETERS).length} hyperparameters\n {2}NAME +VALUE +TYPE +SET BY\n`));
  expect(text.out).toMatch(new RegExp(`\n {2}tempo +${onChain.tempo} +u16 +root \\(sudo\\)\n`));
  expect(text.out).toMatch(/\n {2}weights_rate_limit +0 +u64 +owner\n/);
  expect(await cli(['subnet', 'hyperparameters', 'get', '--netuid', '7', '--network', net.url])).toMatchObject({ code: 2, err: 'tensornet: subnet 7 does not exist (tensornet subnet list shows the subnets)\n' });
});

test('set by the owner: u64 and bool values, signed directly', async () => {
  const result = await cli(set('owner', 'weights_rate_limit', '7'));
  expect(result).toMatchObject({ code: 0, err: '' });
  expect(result.out).toMatch(new RegExp(`^set weights_rate_limit of netuid 1: 0 → 7 \\(AdminUtils\\.sudo_set_weights_set_rate_limit, signed by ${keypairFromUri('//Bob').address}\\) in block #\\d+\n$`));
  expect((await getHyperparameters(client, { netuid: 1 })).weights_rate_limit).toBe(7n);
  const flag = await cli([...set('owner', 'commit_reveal_weights_enabled', 'true'), '--json']);
  expect(flag.code).toBe(0);
  expect(JSON.parse(flag.out)).toMatchObject({ netuid: 1, name: 'commit_reveal_weights_enabled', before: false, value: true, viaSudo: false });
  expect((await getHyperparameters(client, { netuid: 1 })).commit_reveal_weights_enabled).toBe(true);
});

test('root-only: refused for the owner before anything is sent; the sudo key sets it through Sudo.sudo', async () => {
  const before = (await getHyperparameters(client, { netuid: 1 })).tempo;
  const owner = await cli(set('owner', 'tempo', '9'));
  expect(owner).toMatchObject({ code: 2, err: `tensornet: tempo is root-only (AdminUtils.sudo_set_tempo needs the sudo key) and ${keypairFromUri('//Bob').address} is not the sudo key\n` });
  expect((await getHyperparameters(client, { netuid: 1 })).tempo).toBe(before);
  const sudo = await cli(set('sudo', 'tempo', '9'));
  expect(sudo.code).toBe(0);
  expect(sudo.out).toContain(`: ${before} → 9 (AdminUtils.sudo_set_tempo through Sudo.sudo, signed by ${keypairFromUri('//Alice').address})`);
  expect((await getHyperparameters(client, { netuid: 1 })).tempo).toBe(9);
  // An owner-settable one by the sudo key, which does not own the subnet: through Sudo.sudo too.
  const kappa = await cli(set('sudo', 'kappa', '30000'));
  expect(kappa.code).toBe(0);
  expect(kappa.out).toContain('(AdminUtils.sudo_set_kappa through Sudo.sudo');
  expect((await getHyperparameters(client, { netuid: 1 })).kappa).toBe(30000);
});

test('not the owner: the chain\'s BadOrigin as one line, naming the owner', async () => {
  const result = await cli(set('stranger', 'weights_rate_limit', '3'));
  expect(result.code).toBe(2);
  expect(result.err).toBe(`tensornet: dispatch failed: BadOrigin.BadOrigin — netuid 1 is owned by ${keypairFromUri('//Bob').address} and ${keypairFromUri('//Charlie').address} is neither it nor the sudo key (pick the owner's wallet with --wallet)\n`);
  expect((await getHyperparameters(client, { netuid: 1 })).weights_rate_limit).toBe(7n);
});

test('user errors are one line, exit 2: unknown name, values of the wrong kind, no such subnet, no wallet', async () => {
  const typo = await cli(set('owner', 'weight_rate_limit', '1'));
  expect(typo).toMatchObject({ code: 2, err: `tensornet: unknown hyperparameter "weight_rate_limit" (known: ${Object.keys(HYPERPARAMETERS).join(', ')})\n` });
  expect(await cli(set('owner', 'kappa', 'abc'))).toMatchObject({ code: 2, err: 'tensornet: --value for kappa must be a non-negative integer (u16; got "abc")\n' });
  expect(await cli(set('owner', 'kappa', '70000'))).toMatchObject({ code: 2, err: 'tensornet: --value for kappa must be at most 65535 (u16; got 70000)\n' });
  expect(await cli(set('owner', 'min_burn', '18446744073709551616'))).toMatchObject({ code: 2, err: 'tensornet: --value for min_burn must be below 2^64 (u64; got 18446744073709551616)\n' });
  expect(await cli(set('owner', 'registration_allowed', 'yes'))).toMatchObject({ code: 2, err: 'tensornet: --value for registration_allowed must be true or false (got "yes")\n' });
  expect(await cli(set('owner', 'kappa', '1', '7'))).toMatchObject({ code: 2, err: 'tensornet: subnet 7 does not exist (tensornet subnet list shows the subnets)\n' });
  const noWallet = await cli(set('ghost', 'kappa', '1'));
  expect(noWallet.code).toBe(2);
  expect(noWallet.err).toMatch(/^tensornet: wallet "ghost" has no coldkey: .* does not exist/);
});

test('--help shows examples', async () => {
  const io: CliIo = { writeStdout: () => undefined, writeStderr: () => undefined, readStdin: async () => '' };
  const help = (argv: string[]): Promise<string> => new Promise((done) => void getCli(io).parse(argv, {}, (_err, _argv, output) => done(output)));
  expect(await help(['subnet', 'hyperparameters', 'get', '--help'])).toContain('subnet hyperparameters get --netuid 1');
  expect(await help(['subnet', 'hyperparameters', 'set', '--help'])).toContain('--name weights_rate_limit --value 0 --wallet owner');
});
