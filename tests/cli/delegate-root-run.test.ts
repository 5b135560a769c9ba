/**
 * `tensornet stake delegate` through `runCli`, in process, against a seeded localnet on 127.0.0.1
 * (100 ms blocks): the wallet's hotkey becomes a delegate with a take, a second try is one readable line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, type ChainClient } from '../../chain-client';
import { Wallet } from '../../chain-client/wallet';
import { runCli } from '../../cli/cli';
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

const as = (wallet: string, hotkey: string): string[] => ['--wallet', wallet, '--hotkey', hotkey, '--wallet-path', walletPath, '--network', net.url];

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-delegate-cli-'));
  const file = parseGenesisFile(seededGenesis(7, 2, 1));
  net = await startLocalnet({ port: 0, blockTimeMs: 100, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  walletPath = join(dir, 'wallets');
  const alice = new Wallet({ name: 'alice', hotkey: 'v0', path: walletPath });
  await alice.regenerateColdkey({ uri: '//Alice' }, { encrypt: false });
  await alice.regenerateHotkey({ uri: '//Alice//v0' });
  const bob = new Wallet({ name: 'bob', hotkey: 'v0', path: walletPath });
  await bob.regenerateColdkey({ uri: '//Bob' }, { encrypt: false });
  await bob.regenerateHotkey({ uri: '//Alice//v0' });
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tensornet stake delegate', () => {
  test('default: the hotkey becomes a delegate with the --take asked for (u16 fraction on chain)', async () => {
    const r = await cli(['stake', 'delegate', ...as('alice', 'v0'), '--take', '9', '--json']);
    expect([r.code, r.err]).toEqual([0, '']);
    const out = JSON.parse(r.out) as { action: string; take: number; takePercent: number; hotkey: string };
    expect([out.action, out.take, out.takePercent]).toEqual(['delegate', Math.round(0.09 * 65535), 9]);
    const stored = (await client.api.query.subtensorModule!.delegates!(out.hotkey)).toString();
    expect(Number(stored)).toBe(out.take);
  }, 30_000);

  test('error: a hotkey that already is a delegate, or one the coldkey does not own, is one line and exit 1', async () => {
    const again = await cli(['stake', 'delegate', ...as('alice', 'v0')]);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/stake delegate: .*HotKeyAlreadyDelegate/);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    const stranger = await cli(['stake', 'delegate', ...as('bob', 'v0')]);
    expect(stranger.code).not.toBe(0);
    expect(stranger.err).toMatch(/NonAssociatedColdKey/);
    const badTake = await cli(['stake', 'delegate', ...as('alice', 'v0'), '--take', '120']);
    expect([badTake.code, badTake.err]).toEqual([2, expect.stringMatching(/--take must be a percentage in \[0, 100\]/)]);
  }, 30_000);
});
