/**
 * `tensornet wallet`, `neuron register` and `stake` through the CLI's parser, against a seeded localnet on
 * 127.0.0.1 and wallets in a temporary folder (real keyfiles; plaintext coldkeys so nothing needs a KDF).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';
import { passwordEnvVarName, Wallet } from '../../chain-client/wallet';
import { startLocalnet, subtensorItems, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet';
import { seededGenesis } from '../chain-client/helpers/subnet';

let net: Localnet;
let dir: string;
let walletPath: string;

beforeAll(async () => {
  await cryptoWaitReady();
  const file = parseGenesisFile(seededGenesis(11, 2, 3));
  net = await startLocalnet({ port: 0, blockTimeMs: 50, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => {
      applyGenesisSubnets(file, state, runtime);
      // The chain allows one stake operation per hotkey and interval by default; this test adds then removes.
      subtensorItems().TargetStakesPerInterval.set(state, 100n);
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'tensornet-wallet-cli-'));
  walletPath = join(dir, 'wallets');
  // Alice: funded in genesis, owner of the staked validator hotkey v0.
  const alice = new Wallet({ name: 'alice', hotkey: 'v0', path: walletPath });
  await alice.regenerateColdkey({ uri: '//Alice' }, { encrypt: false });
  await alice.regenerateHotkey({ uri: '//Alice//v0' });
}, 30_000);

afterAll(async () => {
  await net.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

const flags = (wallet: string, hotkey = 'default'): string[] => ['--wallet', wallet, '--hotkey', hotkey, '--wallet-path', walletPath, '--network', net.url];
const json = <T>(r: { code: number; out: string; err: string }): T => {
  expect(r).toMatchObject({ code: 0, err: expect.any(String) });
  return JSON.parse(r.out) as T;
};

let created: { coldkey: string; coldkeyMnemonic: string; hotkeyAddress: string; hotkeyMnemonic: string };

test('wallet create: a coldkey and hotkey with their mnemonics shown once; never overwrites; never prompts', async () => {
  const text = await cli(['wallet', 'create', ...flags('carol', 'm1'), '--no-password']);
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/^wallet "carol" created in .*carol\n {2}coldkey 5\w+ \(plaintext\)\n {2}hotkey "m1" 5\w+\n/);
  expect(text.out).toMatch(/The coldkey mnemonic .*\n {2}(\w+ ){11}\w+\n/);
  created = json(await cli(['wallet', 'create', ...flags('erin'), '--no-password', '--json']));
  expect(created.coldkeyMnemonic.split(' ')).toHaveLength(12);
  expect((await new Wallet({ name: 'erin', path: walletPath }).coldkeypub()).address).toBe(created.coldkey);

  const again = await cli(['wallet', 'create', ...flags('carol', 'other'), '--no-password']);
  expect(again.code).toBe(2);
  expect(again.err).toMatch(/^tensornet: .*carol\/coldkey exists: tensornet wallet never overwrites a key/);
  const coldkeyPath = new Wallet({ name: 'frank', path: walletPath }).coldkeyFile.path;
  expect(await cli(['wallet', 'create', ...flags('frank')])).toMatchObject({
    code: 2,
    err: `tensornet: a new coldkey is encrypted and tensornet never prompts: set ${passwordEnvVarName(coldkeyPath)} to its password, or pass --no-password for a plaintext coldkey\n`,
  });
  expect(new Wallet({ name: 'frank', path: walletPath }).coldkeyFile.exists).toBe(false);
});

test('wallet regen: the same keys from the mnemonics; a bad mnemonic is one line', async () => {
  const cold = json<{ address: string }>(await cli(['wallet', 'regen', ...flags('erin2'), '--mnemonic', created.coldkeyMnemonic, '--no-password', '--json']));
  expect(cold.address).toBe(created.coldkey);
  const hot = await cli(['wallet', 'regen', ...flags('erin2', 'h'), '--key', 'hotkey', '--mnemonic', `  ${created.hotkeyMnemonic.replace(/ /g, '  ')} `]);
  expect(hot).toMatchObject({ code: 0, out: `wallet "erin2": hotkey "h" ${created.hotkeyAddress} regenerated\n` });
  expect(await cli(['wallet', 'regen', ...flags('erin3'), '--mnemonic', 'not a real mnemonic at all', '--no-password'])).toMatchObject({ code: 2, err: 'tensornet: --mnemonic is not a valid BIP-39 mnemonic\n' });
  expect((await cli(['wallet', 'regen', ...flags('erin2'), '--mnemonic', created.coldkeyMnemonic, '--no-password'])).err).toMatch(/never overwrites a key/);
});

test('wallet list: every wallet with its coldkey and hotkeys', async () => {
  const doc = json<{ wallets: Array<{ name: string; coldkey: string | null; hotkeys: Array<{ name: string; address: string }> }> }>(await cli(['wallet', 'list', '--wallet-path', walletPath, '--json']));
  expect(doc.wallets.map((w) => w.name)).toEqual(['alice', 'carol', 'erin', 'erin2']);
  expect(doc.wallets[2]).toEqual({ name: 'erin', coldkey: created.coldkey, hotkeys: [{ name: 'default', address: created.hotkeyAddress }] });
  const text = await cli(['wallet', 'list', '--wallet-path', walletPath]);
  expect(text.out).toMatch(/WALLET +KEY +SS58\n {2}alice +coldkey +5\w+\n {4,}hotkey v0 +5\w+\n/);
  expect((await cli(['wallet', 'list', '--wallet-path', join(dir, 'none')])).out).toMatch(/^no wallets in /);
});

test('wallet balance and transfer: TAO moves between coldkeys; bad amounts and shortfalls are one line', async () => {
  const before = json<{ free: string; staked: string }>(await cli(['wallet', 'balance', ...flags('alice'), '--json']));
  expect(Number(before.free)).toBeGreaterThan(100);
  expect(Number(before.staked)).toBeGreaterThan(0);
  const sent = await cli(['wallet', 'transfer', ...flags('alice'), '--dest', created.coldkey, '--amount', '5.5']);
  expect(sent.code).toBe(0);
  expect(sent.out).toMatch(new RegExp(`^transferred 5.500000000 τ from 5\\w+ to ${created.coldkey} \\(block 0x[0-9a-f]+\\)`));
  expect(json<{ free: string; staked: string }>(await cli(['wallet', 'balance', ...flags('erin'), '--json']))).toMatchObject({ free: '5.500000000', staked: '0.000000000' });
  expect((await cli(['wallet', 'balance', ...flags('erin')])).out).toMatch(/FREE τ +STAKED τ +TOTAL τ\n {2}5.500000000 +0.000000000 +5.500000000/);

  expect(await cli(['wallet', 'transfer', ...flags('alice'), '--dest', created.coldkey, '--amount', '1.2.3'])).toMatchObject({ code: 2, err: 'tensornet: --amount must be a TAO amount with at most 9 decimals (got 1.2.3)\n' });
  const short = await cli(['wallet', 'transfer', ...flags('erin'), '--dest', created.coldkey, '--amount', '100']);
  expect(short.code).toBe(2);
  expect(short.err).toMatch(/^tensornet: transfer: .*InsufficientBalance.*\n$/);
  expect((await cli(['wallet', 'balance', ...flags('nobody')])).err).toMatch(/^tensornet: wallet "nobody" has no coldkey/);
  expect((await cli(['wallet', 'balance', ...flags('alice').slice(0, -2), '--network', 'ws://127.0.0.1:1'])).err).toMatch(/^tensornet: cannot reach the chain at .*ECONNREFUSED/);
});

test('neuron register: the burn first, --max-cost refuses without spending, then a uid; twice is one line', async () => {
  await new Wallet({ name: 'alice', hotkey: 'fresh', path: walletPath }).regenerateHotkey({ uri: '//Alice//fresh' });
  const refused = await cli(['neuron', 'register', ...flags('alice', 'fresh'), '--netuid', '1', '--max-cost', '0.000000001']);
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(/the burn is [\d.]+ τ\n.*above --max-cost 0.000000001 τ: nothing was spent\n$/);
  const done = await cli(['neuron', 'register', ...flags('alice', 'fresh'), '--netuid', '1', '--max-cost', '1000', '--json']);
  const doc = json<{ uid: number; netuid: number }>(done);
  expect(doc).toMatchObject({ netuid: 1, uid: 5 });
  expect((await cli(['neuron', 'register', ...flags('alice', 'fresh'), '--netuid', '1'])).err).toMatch(/is already registered on subnet 1 as uid 5\n$/);
  expect((await cli(['neuron', 'register', ...flags('alice', 'fresh'), '--netuid', '9'])).err).toBe('tensornet: subnet 9 does not exist (tensornet subnet list shows the subnets)\n');
});

test('stake add, remove and list: per hotkey; more than is staked is one line', async () => {
  const stakeOf = async (): Promise<number> => {
    const doc = JSON.parse((await cli(['stake', 'list', '--wallet', 'alice', '--wallet-path', walletPath, '--network', net.url, '--json'])).out) as { hotkeys: Array<{ name: string; stake: string }> };
    return Number(doc.hotkeys.find((h) => h.name === 'v0')!.stake);
  };
  const start = await stakeOf();
  expect((await cli(['stake', 'add', ...flags('alice', 'v0'), '--amount', '10'])).out).toMatch(/^staked 10.000000000 τ onto hotkey "v0" 5\w+ \(block 0x[0-9a-f]+\): [\d.]+ τ staked by this coldkey/);
  expect(await stakeOf()).toBeCloseTo(start + 10, 6);
  expect(await cli(['stake', 'remove', ...flags('alice', 'v0'), '--amount', '2.5'])).toMatchObject({ code: 0, err: '' });
  expect(await stakeOf()).toBeCloseTo(start + 7.5, 6);
  const text = await cli(['stake', 'list', '--wallet', 'alice', '--wallet-path', walletPath, '--network', net.url]);
  expect(text.out).toMatch(/HOTKEY +SS58 +YOUR STAKE τ +HOTKEY TOTAL τ\n {2}fresh +5\w+ +0.000000000/);
  const tooMuch = await cli(['stake', 'remove', ...flags('alice', 'v0'), '--amount', '99999999']);
  expect(tooMuch.code).toBe(2);
  expect(tooMuch.err).toMatch(/^tensornet: stake remove: .*NotEnoughStakeToWithdraw.*\n$/);
  expect((await cli(['stake', 'add', ...flags('alice', 'nope'), '--amount', '1'])).err).toMatch(/^tensornet: wallet "alice" has no hotkey "nope"/);
  expect((await cli(['stake', 'add', ...flags('alice', 'v0'), '--amount', '0'])).err).toBe('tensornet: --amount must be more than 0 (got 0)\n');
});
