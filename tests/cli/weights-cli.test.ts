/**
 * `tensornet weights set|commit|reveal` and `tensornet root register|weights` through `runCli`, in
 * process, against a localnet on 127.0.0.1 (100 ms blocks) seeded with two subnets of the same neurons:
 * netuid 1 sets weights directly, netuid 2 by commit-reveal. Keys come from wallets on disk.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, type ChainClient } from '../../chain-client';
import { keypairFromUri, Wallet } from '../../chain-client/wallet';
import { getCli, runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';
import { startLocalnet, subtensorItems, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet';
import { seededGenesis } from '../chain-client/helpers/subnet';

let net: Localnet;
let client: ChainClient;
let dir: string;
let walletPath: string;

/**
 * Subnet 1 (direct weights, tempo 4) and a copy as subnet 2 with commit-reveal (tempo 30, reveal two epochs
 * later: a commit is early for at least 31 blocks, then has a 31-block window).
 */
function genesis(): unknown {
  const doc = seededGenesis(5, 2, 3) as { subnets: Array<{ netuid: number; tempo: number; hyperparameters: Record<string, number | boolean>; neurons: Array<{ stake: string }> }> };
  const first = doc.subnets[0]!;
  doc.subnets.push({ ...first, netuid: 2, tempo: 30, hyperparameters: { ...first.hyperparameters, CommitRevealWeightsEnabled: true, RevealPeriodEpochs: 2 }, neurons: first.neurons.map((n) => ({ ...n, stake: '0' })) });
  return doc;
}

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

const as = (wallet: string, hotkey: string): string[] => ['--wallet', wallet, '--hotkey', hotkey, '--wallet-path', walletPath, '--network', net.url];

async function permits(netuid: number): Promise<boolean[]> {
  return (await client.api.query.subtensorModule!.validatorPermit!(netuid)).toJSON() as boolean[];
}

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-weights-cli-'));
  const file = parseGenesisFile(genesis());
  net = await startLocalnet({ port: 0, blockTimeMs: 100, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => {
      applyGenesisSubnets(file, state, runtime);
      // Root weights right after root registration (whose block counts as the last update).
      subtensorItems().WeightsSetRateLimit.set(state, 0, 0n);
    },
  });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  walletPath = join(dir, 'wallets');
  const alice = new Wallet({ name: 'alice', hotkey: 'v0', path: walletPath });
  await alice.regenerateColdkey({ uri: '//Alice' }, { encrypt: false });
  await alice.regenerateHotkey({ uri: '//Alice//v0' });
  await new Wallet({ name: 'alice', hotkey: 'stranger', path: walletPath }).regenerateHotkey({ uri: '//Alice//stranger' });
  const bob = new Wallet({ name: 'bob', hotkey: 'v1', path: walletPath });
  await bob.regenerateColdkey({ uri: '//Bob' }, { encrypt: false });
  await bob.regenerateHotkey({ uri: '//Alice//v1' });
  // Validator permits are handed out at the first epoch of each subnet.
  const deadline = Date.now() + 15_000;
  while (!((await permits(1))[0] && (await permits(2))[0])) {
    if (Date.now() > deadline) throw new Error('no validator permit within 15 s');
    await new Promise((done) => setTimeout(done, 100));
  }
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('weights set', () => {
  test('the hotkey sets processed weights (u16, max-upscaled) on netuid 1', async () => {
    const result = await cli(['weights', 'set', '--netuid', '1', '--uids', '2,3,4', '--weights', '0.2,0.3,0.5', ...as('alice', 'v0'), '--json']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const doc = JSON.parse(result.out) as { netuid: number; hotkey: string; uids: number[]; values: number[]; versionKey: string; blockNumber: number };
    expect(doc).toMatchObject({ netuid: 1, hotkey: keypairFromUri('//Alice//v0').address, uids: [2, 3, 4], versionKey: '0' });
    expect(doc.values).toEqual([26214, 39321, 65535]);
    const onChain = (await client.api.query.subtensorModule!.weights!(1, 0)).toJSON() as Array<[number, number]>;
    expect(onChain).toEqual([[2, 26214], [3, 39321], [4, 65535]]);
    const text = await cli(['weights', 'set', '--netuid', '1', '--uids', '2', '--weights', '1', ...as('alice', 'v0')]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^set weights on netuid 1 from 5\w+ in block #\d+ \(0x[0-9a-f]{64}\), version key 0\n {2}uids {3}2\n {2}values 65535 \(u16\)\n$/);
  });

  test('user errors are one line, exit 2: lengths, lists, version key, unregistered hotkey, commit-reveal subnet', async () => {
    const base = ['weights', 'set', ...as('alice', 'v0')];
    expect(await cli([...base, '--netuid', '1', '--uids', '1,2', '--weights', '1'])).toMatchObject({ code: 2, err: 'tensornet: --uids has 2 entries and --weights 1: give one weight per uid\n' });
    expect(await cli([...base, '--netuid', '1', '--uids', '1,x', '--weights', '1,1'])).toMatchObject({ code: 2, err: 'tensornet: --uids: "x" is not an integer in [0, 65535]\n' });
    expect(await cli([...base, '--netuid', '1', '--uids', '1', '--weights', '-1'])).toMatchObject({ code: 2, err: 'tensornet: --weights: "-1" is not a non-negative number\n' });
    expect(await cli([...base, '--netuid', '1', '--uids', '1', '--weights', '1', '--version-key', 'v2'])).toMatchObject({ code: 2, err: 'tensornet: --version-key must be a u64 (got "v2")\n' });
    const stranger = await cli(['weights', 'set', '--netuid', '1', '--uids', '2', '--weights', '1', ...as('alice', 'stranger')]);
    expect(stranger.code).toBe(2);
    expect(stranger.err).toMatch(/^tensornet: pre-flight check failed: SubtensorModule\.HotKeyNotRegisteredInSubNet — .+\n$/);
    const cr = await cli([...base, '--netuid', '2', '--uids', '2', '--weights', '1']);
    expect(cr).toMatchObject({ code: 2, err: 'tensornet: pre-flight check failed: SubtensorModule.CommitRevealEnabled — the subnet uses commit-reveal: use commitAndRevealWeights (or commitWeights + revealWeights)\n' });
    const missing = await cli(['weights', 'set', '--netuid', '1', '--uids', '2', '--weights', '1', ...as('alice', 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^tensornet: wallet "alice" has no hotkey "nope": .* does not exist \(check --wallet, --hotkey and --wallet-path\)\n$/);
  });

  test('--help shows an example', async () => {
    const io: CliIo = { writeStdout: () => undefined, writeStderr: () => undefined, readStdin: async () => '' };
    for (const [argv, example] of [
      [['weights', 'set', '--help'], 'weights set --netuid 1 --uids 1,2,3 --weights 0.2,0.3,0.5'],
      [['weights', 'commit', '--help'], '--save commit.json'],
      [['weights', 'reveal', '--help'], 'weights reveal --netuid 1 --from commit.json'],
      [['root', 'register', '--help'], 'root register --wallet validator'],
      [['root', 'weights', '--help'], 'root weights --netuids 1,2 --weights 0.7,0.3'],
    ] as const) {
      // yargs hands the help text to a parse callback instead of printing it.
      const help = await new Promise<string>((done) => void getCli(io).parse([...argv], {}, (_err, _argv, output) => done(output)));
      expect(help).toContain(example);
      expect(help).toContain('--wallet-path');
    }
  });
});

describe('weights commit and reveal', () => {
  test('commit saves what the reveal needs; an early reveal says when; --wait reveals in the window', async () => {
    const save = join(dir, 'commit.json');
    const committed = await cli(['weights', 'commit', '--netuid', '2', '--uids', '2,3', '--weights', '1,3', '--save', save, ...as('alice', 'v0'), '--json']);
    expect(committed).toMatchObject({ code: 0, err: '' });
    const printed = JSON.parse(committed.out) as { netuid: number; hotkey: string; uids: number[]; values: number[]; salt: number[]; versionKey: string; commitHash: string; firstRevealBlock: number; lastRevealBlock: number };
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual(printed);
    expect(printed).toMatchObject({ netuid: 2, uids: [2, 3], values: [21845, 65535], versionKey: '0' });
    expect(printed.salt).toHaveLength(8);
    expect(printed.lastRevealBlock - printed.firstRevealBlock).toBe(30);
    const pending = (await client.api.query.subtensorModule!.weightCommits!(2, printed.hotkey)).toJSON() as Array<[string, number, number, number]>;
    expect(pending.map(([hash]) => hash)).toEqual([printed.commitHash]);

    const early = await cli(['weights', 'reveal', '--from', save, ...as('alice', 'v0')]);
    expect(early.code).toBe(2);
    expect(early.err).toBe(`tensornet: pre-flight check failed: SubtensorModule.RevealTooEarly — reveal from block ${printed.firstRevealBlock} to ${printed.lastRevealBlock}\n`);
    const wrongKey = await cli(['weights', 'reveal', '--from', save, ...as('bob', 'v1')]);
    expect(wrongKey).toMatchObject({ code: 2, err: `tensornet: --from ${save} was committed by ${printed.hotkey}, not by this hotkey (${keypairFromUri('//Alice//v1').address}): pick it with --wallet/--hotkey\n` });

    expect(await cli(['weights', 'reveal', '--netuid', '1', '--from', save, ...as('alice', 'v0')])).toMatchObject({ code: 2, err: `tensornet: --from ${save} is a commit on netuid 2, not 1\n` });
    const revealed = await cli(['weights', 'reveal', '--netuid', '2', '--from', save, '--wait', ...as('alice', 'v0')]);
    expect(revealed).toMatchObject({ code: 0, err: '' });
    expect(revealed.out).toMatch(/^revealed weights on netuid 2 from 5\w+ in block #(\d+) /);
    const block = Number(/#(\d+)/.exec(revealed.out)![1]);
    expect(block).toBeGreaterThanOrEqual(printed.firstRevealBlock);
    expect(block).toBeLessThanOrEqual(printed.lastRevealBlock);
    expect((await client.api.query.subtensorModule!.weights!(2, 0)).toJSON()).toEqual([[2, 21845], [3, 65535]]);
  }, 20_000);

  test('commit on a subnet without commit-reveal, and unreadable commit files, are one line', async () => {
    const direct = await cli(['weights', 'commit', '--netuid', '1', '--uids', '2', '--weights', '1', ...as('alice', 'v0')]);
    expect(direct).toMatchObject({ code: 2, err: 'tensornet: pre-flight check failed: SubtensorModule.CommitRevealDisabled — the subnet does not use commit-reveal: use setWeights\n' });
    const absent = join(dir, 'absent.json');
    expect((await cli(['weights', 'reveal', '--from', absent, ...as('alice', 'v0')])).err).toMatch(/^tensornet: --from .*absent\.json: no such file\n$/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ netuid: 2, uids: [1] }));
    expect(await cli(['weights', 'reveal', '--from', bad, ...as('alice', 'v0')])).toMatchObject({ code: 2, err: `tensornet: --from ${bad} is not a weights commit (netuid, hotkey, uids, values, salt, versionKey, firstRevealBlock, lastRevealBlock; write it with tensornet weights commit --save)\n` });
    expect(existsSync(absent)).toBe(false);
  });
});

describe('root', () => {
  test('register: the hotkey takes a root seat (coldkey signs); a second time is one line', async () => {
    const result = await cli(['root', 'register', ...as('alice', 'v0'), '--json']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const doc = JSON.parse(result.out) as { hotkey: string; coldkey: string; uid: number };
    expect(doc).toMatchObject({ hotkey: keypairFromUri('//Alice//v0').address, coldkey: keypairFromUri('//Alice').address });
    expect((await client.api.query.subtensorModule!.keys!(0, doc.uid)).toString()).toBe(doc.hotkey);
    const again = await cli(['root', 'register', ...as('alice', 'v0')]);
    expect(again).toMatchObject({ code: 2, err: `tensornet: pre-flight check failed: SubtensorModule.HotKeyAlreadyRegisteredInSubNet — the hotkey already holds root uid ${doc.uid}\n` });
  });

  test('weights: the coldkey sets the member\'s weights over subnets; user errors are one line', async () => {
    const result = await cli(['root', 'weights', '--netuids', '1,2', '--weights', '0.7,0.3', ...as('alice', 'v0')]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^set root weights of 5\w+ in block #\d+ \(0x[0-9a-f]{64}\)\n {2}netuids 1,2\n {2}values {2}65535,28086 \(u16\)\n$/);
    expect(await cli(['root', 'weights', '--netuids', '1,2', '--weights', '1', ...as('alice', 'v0')])).toMatchObject({ code: 2, err: 'tensornet: --netuids has 2 entries and --weights 1: give one weight per subnet\n' });
    const unknown = await cli(['root', 'weights', '--netuids', '1,9', '--weights', '1,1', ...as('alice', 'v0')]);
    expect(unknown).toMatchObject({ code: 2, err: 'tensornet: pre-flight check failed: SubtensorModule.UidVecContainInvalidOne — no such subnet: 9\n' });
    const notMember = await cli(['root', 'weights', '--netuids', '1', '--weights', '1', ...as('bob', 'v1')]);
    expect(notMember.code).toBe(2);
    expect(notMember.err).toMatch(/^tensornet: pre-flight check failed: SubtensorModule\.HotKeyNotRegisteredInSubNet — register the hotkey on the root network first/);
  });
});
