/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * `tensornet subnet init|create|list` through `runCli`, in process. `init` writes the example mechanism
 * into a temporary folder laid out as `npm install` would leave it (`node_modules/tensornet` a link to this
 * repository, as npm links a `file:` dependency; `zod` a real copy, as npm installs one), then its own
 * tests run with `node --test` and its JSDoc types are checked with `tsc`, both in child processes as a
 * user would run them. `create` registers it on a real localnet on 127.0.0.1 (rate limit off, as
 * `--dev`), as a plain owner and as the sudo key; `list` reads that chain, and a closed port.
 *
 * Needs the build (`dist/`): generated mechanisms import tensornet's compiled modules, as outside the
 * repository (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, getHyperparameters, getNetworks, getSubnetIdentity, type ChainClient } from '../../chain-client';
import { keypairFromUri, Wallet } from '../../chain-client/wallet';
import { runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';
import { startLocalnet, subtensorItems, type Localnet } from '../../localnet';
import { isSubnet, loadMechanism } from '../../subnets';

const REPO = resolve(__dirname, '..', '..');
const run = promisify(execFile);

let net: Localnet;
let client: ChainClient;
let dir: string;
let walletPath: string;
let closedUrl: string;
/** The example mechanism `subnet init` wrote, and how that went. */
let mechanismDir: string;
let init: { code: number; out: string; err: string };

/** A child process's outcome (never rejects, so it can run in the background while other tests do). */
interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
/** Started in beforeAll, awaited by the init tests: the child processes overlap the chain tests. */
let generatedTests: Promise<Finished>;
let generatedTypes: Promise<Finished>;
let brokenTests: Promise<Finished>;

function start(args: readonly string[], cwd: string): Promise<Finished> {
  return run(process.execPath, [...args], { cwd, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string; message: string }) => ({ code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? err.message }),
  );
}

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

/** The node_modules `npm install` makes for the generated package.json, without the registry. */
function installLikeNpm(target: string): void {
  const modules = join(target, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  symlinkSync(REPO, join(modules, 'tensornet'), 'dir');
  cpSync(join(REPO, 'node_modules', 'zod'), join(modules, 'zod'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules', '@types', 'node'), join(modules, '@types', 'node'), 'dir');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'subnets', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (generated mechanisms import the compiled tensornet)');
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-subnet-cli-'));
  net = await startLocalnet({ port: 0, blockTimeMs: 50, extendGenesis: (state) => subtensorItems().NetworkRateLimit.set(state, 0n) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  closedUrl = `ws://127.0.0.1:${await freePort()}`;

  walletPath = join(dir, 'wallets');
  await new Wallet({ name: 'owner', path: walletPath }).regenerateColdkey({ uri: '//Bob' }, { encrypt: false });
  await new Wallet({ name: 'sudo', path: walletPath }).regenerateColdkey({ uri: '//Alice' }, { encrypt: false });
  await new Wallet({ name: 'poor', path: walletPath }).regenerateColdkey({ uri: '//NobodyWithFunds' }, { encrypt: false });

  mechanismDir = join(dir, 'sorter');
  init = await cli(['subnet', 'init', mechanismDir]);
  if (init.code !== 0) throw new Error(`subnet init failed: ${init.err}`);
  installLikeNpm(mechanismDir);
  // The same example with its exact tier broken: its own tests must catch it.
  const broken = join(dir, 'broken');
  if ((await cli(['subnet', 'init', broken])).code !== 0) throw new Error('subnet init broken failed');
  installLikeNpm(broken);
  const source = join(broken, 'subnet.js');
  const original = readFileSync(source, 'utf8');
  const sabotaged = original.replace("if (tier === 'exact') return { sorted: ascending(request.numbers) };", "if (tier === 'exact') return { sorted: request.numbers };");
  if (sabotaged === original) throw new Error('the template changed: update the sabotage in this test');
  writeFileSync(source, sabotaged);
  generatedTests = start(['--test', 'subnet.test.js'], mechanismDir);
  generatedTypes = start([join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], mechanismDir);
  brokenTests = start(['--test', 'subnet.test.js'], broken);
}, 30_000);

afterAll(async () => {
  await Promise.all([generatedTests, generatedTypes, brokenTests]);
  await client?.close();
  await net?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('subnet init', () => {
  test('writes the example mechanism, named after the folder', () => {
    expect(init).toMatchObject({ code: 0, err: '' });
    expect(init.out).toContain(`created the sorter mechanism in ${mechanismDir}`);
    expect(readdirSync(mechanismDir).filter((f) => f !== 'node_modules').sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'subnet.js', 'subnet.test.js', 'tsconfig.json']);
    const manifest = JSON.parse(readFileSync(join(mechanismDir, 'package.json'), 'utf8')) as { name: string; main: string; dependencies: Record<string, string> };
    expect(manifest).toMatchObject({ name: 'sorter', main: 'subnet.js', dependencies: { tensornet: `file:${REPO}`, zod: expect.stringMatching(/^\^?4\./) } });
    expect(readFileSync(join(mechanismDir, 'subnet.js'), 'utf8')).toContain("name: 'sorter'");
    for (const file of readdirSync(mechanismDir).filter((f) => f !== 'node_modules')) expect(readFileSync(join(mechanismDir, file), 'utf8')).not.toMatch(/__[A-Z_]+__/);
  });

  test('loadMechanism accepts the folder and its subnet.js', () => {
    const subnet = loadMechanism(mechanismDir);
    expect(isSubnet(subnet)).toBe(true);
    expect(subnet).toMatchObject({ name: 'sorter', version: '0.1.0', versionKey: 1000, defaultTier: 'exact' });
    expect(Object.keys(subnet.miner.tiers)).toEqual(['exact', 'partial']);
    expect(loadMechanism(join(mechanismDir, 'subnet.js')).name).toBe('sorter');
  });

  test('a folder that is not empty is refused, one line, and left as it was', async () => {
    const again = await cli(['subnet', 'init', mechanismDir]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/^tensornet: .*sorter is not empty \(\d+ entries\): subnet init writes only into a new or empty folder\n$/);
    const other = join(dir, 'occupied');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect((await cli(['subnet', 'init', other])).err).toMatch(/occupied is not empty \(1 entry\)/);
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });

  test('a name that is not a subnet name is refused', async () => {
    const bad = await cli(['subnet', 'init', join(dir, 'Bad_Name')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^tensornet: the folder name "Bad_Name" is not a subnet name .*: pass --name\n$/);
    expect(existsSync(join(dir, 'Bad_Name'))).toBe(false);
    expect((await cli(['subnet', 'init', join(dir, 'x'), '--name', '9lives'])).err).toMatch(/--name "9lives" is not a subnet name/);
  });
});

describe('subnet create', () => {
  const base = (wallet: string): string[] => ['subnet', 'create', '--wallet', wallet, '--wallet-path', walletPath, '--network', net.url];

  test('as a plain owner: registered with identity; owner hyperparameters set, root-only tempo skipped', async () => {
    const before = await getNetworks(client);
    const result = await cli([...base('owner'), '--mechanism', mechanismDir, '--json']);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/^tensornet subnet create: sorter 0\.1\.0 on custom \(ws:\/\/127\.0\.0\.1:\d+\): lock cost τ\d+\.\d{9}, paid by 5\w+ \(holds τ\d+\.\d{9} free\)\n/);
    const json = JSON.parse(result.out) as {
      netuid: number; owner: string; ownerIsSudo: boolean; locked: { rao: string };
      identity: { via: string | null; identity: { subnetName: string } };
      hyperparameters: { set: Record<string, string | number>; unchanged: Record<string, unknown>; skipped: Array<{ name: string; reason: string }>; failed: unknown[] };
    };
    const bob = keypairFromUri('//Bob');
    expect(before).not.toContain(json.netuid);
    expect(await getNetworks(client)).toContain(json.netuid);
    expect(json).toMatchObject({ owner: bob.address, ownerIsSudo: false, identity: { via: 'register_network_with_identity', identity: { subnetName: 'sorter' } } });
    expect(BigInt(json.locked.rao)).toBeGreaterThan(0n);
    expect((await client.api.query.subtensorModule!.subnetLocked!(json.netuid)).toString()).toBe(json.locked.rao);
    expect(await getSubnetIdentity(client, { netuid: json.netuid })).toEqual({ subnetName: 'sorter', githubRepo: '', subnetContact: '' });

    expect(json.hyperparameters.failed).toEqual([]);
    expect(json.hyperparameters.skipped).toEqual([{ name: 'tempo', value: 99, reason: `root-only (AdminUtils.sudo_set_tempo needs the sudo key) and ${bob.address} is not the sudo key` }]);
    const planned = { immunity_period: 4096, min_allowed_weights: 1, max_weights_limit: 65535, weights_rate_limit: '50', weights_version: '1000' };
    expect({ ...json.hyperparameters.set, ...json.hyperparameters.unchanged }).toEqual(planned);
    const onChain = await getHyperparameters(client, { netuid: json.netuid });
    expect(onChain).toMatchObject({ immunity_period: 4096, min_allowed_weights: 1, max_weights_limit: 65535, weights_rate_limit: 50n, weights_version: 1000n });
    expect(onChain.tempo).not.toBe(99);
  });

  test('as the sudo key: the root-only tempo is set too (text output)', async () => {
    const result = await cli([...base('sudo'), '--mechanism', join(mechanismDir, 'subnet.js'), '--github-repo', 'https://example.org/sorter', '--contact', 'ops@example.org']);
    expect(result.code).toBe(0);
    const netuid = Number(/^created netuid (\d+): mechanism sorter 0\.1\.0 on custom/m.exec(result.out)?.[1]);
    expect(netuid).toBeGreaterThan(0);
    expect(result.out).toContain('identity: subnet_name "sorter" (register_network_with_identity)');
    expect(result.out).toMatch(/^hyperparameters set: .*tempo=99/m);
    expect(result.out).not.toMatch(/^skipped/m);
    expect((await getHyperparameters(client, { netuid })).tempo).toBe(99);
    expect(await getSubnetIdentity(client, { netuid })).toEqual({ subnetName: 'sorter', githubRepo: 'https://example.org/sorter', subnetContact: 'ops@example.org' });
  });

  test('user errors are one line, exit 2, and register nothing', async () => {
    const before = await getNetworks(client);
    const cases: Array<[string[], RegExp]> = [
      [[...base('owner'), '--mechanism', 'nope'], /^tensornet: --mechanism nope: no mechanism "nope": built in are digits, ocr; or give the path of a module that exports one\n$/],
      [[...base('owner'), '--mechanism', join(dir, 'missing.ts')], /^tensornet: --mechanism .*missing\.ts: no mechanism .* \(tensornet loads JavaScript: compile the TypeScript/],
      [[...base('poor'), '--mechanism', mechanismDir], /^tensornet: not enough balance for the lock: it costs τ\d+\.\d{9} and 5\w+ holds τ0\.000000000 free\n$/],
      [[...base('owner'), '--mechanism', mechanismDir, '--max-lock-cost', '0.5'], /^tensornet: the lock cost τ\d+\.\d{9} is above --max-lock-cost τ0\.500000000: nothing was registered\n$/],
      [[...base('owner'), '--mechanism', mechanismDir, '--max-lock-cost', 'lots'], /^tensornet: --max-lock-cost lots is not a TAO amount/],
      [[...base('nobody'), '--mechanism', mechanismDir], /^tensornet: wallet "nobody" has no coldkey: .* does not exist \(check --wallet, --hotkey and --wallet-path\)\n$/],
      [['subnet', 'create', '--wallet', 'owner', '--wallet-path', walletPath, '--network', closedUrl, '--mechanism', mechanismDir], /^tensornet: cannot reach the chain at ws:\/\/127\.0\.0\.1:\d+: .*\(check --network\)\n$/],
    ];
    for (const [argv, expected] of cases) {
      const result = await cli(argv);
      expect({ argv, code: result.code, err: result.err }).toEqual({ argv, code: 2, err: expect.stringMatching(expected) });
      expect(result.err.split('\n')).toHaveLength(2);
    }
    expect(await getNetworks(client)).toEqual(before);
  });

  test("a mechanism whose hyperparameters have the wrong type is refused before anything is paid", async () => {
    const bad = join(mechanismDir, 'bad.js');
    writeFileSync(bad, "const { defineSubnet } = require('tensornet/dist/subnets');\nconst { subnet } = require('./subnet');\nmodule.exports = defineSubnet({ ...subnet, name: 'bad', hyperparameters: { weights_rate_limit: 5 } });\n");
    const before = await getNetworks(client);
    const result = await cli([...base('owner'), '--mechanism', bad]);
    expect(result).toMatchObject({ code: 2, out: '', err: 'tensornet: mechanism bad: hyperparameter weights_rate_limit must be a u64 written as a BigInt (e.g. 100n), got 5\n' });
    expect(await getNetworks(client)).toEqual(before);
    rmSync(bad);
  });
});

describe('subnet list', () => {
  interface Listing {
    mechanisms: Array<{ name: string; version: string; tiers: string[]; source: string; description: string }>;
    chain: { reachable: boolean; error?: string; lockCost?: string; subnets?: Array<{ netuid: number; identity: string | null; owner: string | null; mechanism: { name: string; versionMatches: boolean } | null; tempo: number; n: number; locked: string | null; burn: string | null }> };
  }

  test('mechanisms and on-chain subnets side by side (JSON and text)', async () => {
    const result = await cli(['subnet', 'list', '--network', net.url, '--mechanism', mechanismDir, '--json']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const listing = JSON.parse(result.out) as Listing;
    expect(listing.mechanisms.map((m) => [m.name, m.source])).toEqual([['digits', 'built in'], ['ocr', 'built in'], ['sorter', mechanismDir]]);
    expect(listing.mechanisms[0]).toMatchObject({ version: '1.0.0', tiers: ['mlp-large', 'mlp', 'linear'] });
    expect(listing.chain.reachable).toBe(true);
    expect(BigInt(listing.chain.lockCost!)).toBeGreaterThan(0n);
    const netuids = await getNetworks(client);
    expect(listing.chain.subnets!.map((s) => s.netuid)).toEqual([...netuids].sort((a, b) => a - b));
    const sorters = listing.chain.subnets!.filter((s) => s.identity === 'sorter');
    expect(sorters).toHaveLength(2);
    for (const s of sorters) {
      expect(s.mechanism).toEqual({ name: 'sorter', versionMatches: true });
      expect(BigInt(s.locked!)).toBeGreaterThan(0n);
      expect(s.n).toBe(0);
    }
    expect(sorters.map((s) => s.owner)).toEqual([keypairFromUri('//Bob').address, keypairFromUri('//Alice').address]);
    expect(sorters[1]!.tempo).toBe(99);

    const text = await cli(['subnet', 'list', '--network', net.url]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^mechanisms \(2\):\n {2}name +version +tiers +model +source +description\n {2}digits +1\.0\.0 +mlp-large, mlp, linear +model required +built in +handwritten/);
    expect(text.out).toMatch(/^subnets on custom \(ws:\/\/127\.0\.0\.1:\d+, spec \d+, block #\d+; a new subnet locks τ\d+\.\d{9}\):$/m);
    expect(text.out).toMatch(new RegExp(`^ {2}${sorters[1]!.netuid} +- +sorter +${keypairFromUri('//Alice').address} +99 +0/\\d+ +τ`, 'm'));
  });

  test('without a chain: the mechanisms, and one line saying the chain was not reachable', async () => {
    const result = await cli(['subnet', 'list', '--network', closedUrl, '--timeout', '5']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('digits');
    const lines = result.out.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^chain custom \(ws:\/\/127\.0\.0\.1:\d+\): not reachable: could not connect to ws:\/\/127\.0\.0\.1:\d+/);
    expect(lines.filter((l) => /not reachable/.test(l))).toHaveLength(1);
    const json = JSON.parse((await cli(['subnet', 'list', '--network', closedUrl, '--json'])).out) as Listing;
    expect(json.mechanisms.map((m) => m.name)).toEqual(['digits', 'ocr']);
    expect(json.chain).toMatchObject({ reachable: false, error: expect.stringMatching(/could not connect/) });
  });

  test('a bad --network is a usage error', async () => {
    const result = await cli(['subnet', 'list', '--network', 'http://example.org']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^tensornet: --network: .*must use ws:\/\/ or wss:\/\/\n$/);
  });
});

// Last, so the child processes started in beforeAll overlap the chain tests above.
describe('the generated package, as its user runs it', () => {
  test('the generated tests pass (node --test)', async () => {
    const { code, stdout } = await generatedTests;
    expect({ code, summary: stdout.match(/^# (pass|fail) \d+$/gm) }).toEqual({ code: 0, summary: ['# pass 5', '# fail 0'] });
  }, 60_000);

  test('the generated JavaScript type-checks against tensornet\'s declarations (tsc -p .)', async () => {
    expect(await generatedTypes).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 60_000);

  test('the generated tests catch a broken mechanism', async () => {
    const { code, stdout } = await brokenTests;
    expect(code).toBe(1);
    expect(stdout).toMatch(/^not ok \d+ - the exact tier outscores the partial tier over 100 tasks$/m);
    expect(stdout).toMatch(/^# fail 1$/m);
  }, 60_000);
});
