/**
 * The shared settings (cli/config): one zod schema behind the flags, the `TENSORNET_*` variables and the
 * config file. Through the CLI's parser in-process, with the environment (and so the home folder holding
 * `~/.tensornet/config.json`) given by the test; no chain: the commands used read no chain, or fail before
 * reaching one, or reach a closed port.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCli, runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';
import { NETWORK_NAMES, SETTING_KEYS, envName, settingsSchema } from '../../cli/config';
import { minerOptions } from '../../cli/cmds/miner';
import { NETWORK_ENDPOINTS } from '../../chain-client';

let dir: string;
let home: string;
let walletPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-config-'));
  home = join(dir, 'home');
  walletPath = join(dir, 'wallets');
  mkdirSync(join(home, '.tensornet'), { recursive: true });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => rmSync(join(home, '.tensornet', 'config.json'), { force: true }));

/** Writes `~/.tensornet/config.json` of the test's home (a string as is, anything else as JSON). */
function writeConfig(doc: unknown, path = join(home, '.tensornet', 'config.json')): string {
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

async function cli(argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '', env: { HOME: home, ...env } };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

/** `--help`'s text (yargs hands it to the parse callback instead of printing it). */
function help(argv: string[]): Promise<string> {
  return new Promise((done) => {
    const io: CliIo = { writeStdout: () => undefined, writeStderr: () => undefined, readStdin: async () => '', env: { HOME: home } };
    void getCli(io).parse(argv, {}, (_err, _argv, output) => done(output));
  });
}

interface Shown {
  readonly configFile: { readonly path: string; readonly origin: string; readonly found: boolean };
  readonly settings: Record<string, { readonly value: unknown; readonly source: string; readonly env: string }>;
}

async function show(argv: readonly string[] = [], env: Record<string, string> = {}): Promise<Shown> {
  const result = await cli(['config', 'show', '--json', ...argv], env);
  expect(result).toMatchObject({ code: 0, err: '' });
  return JSON.parse(result.out) as Shown;
}

describe('the schema', () => {
  test('its keys are the flags; each variable is TENSORNET_ and the flag in upper snake case', () => {
    expect(SETTING_KEYS).toEqual(['network', 'wallet', 'hotkey', 'wallet-path', 'json', 'log-level']);
    expect(SETTING_KEYS.map(envName)).toEqual(['TENSORNET_NETWORK', 'TENSORNET_WALLET', 'TENSORNET_HOTKEY', 'TENSORNET_WALLET_PATH', 'TENSORNET_JSON', 'TENSORNET_LOG_LEVEL']);
  });

  test('the network names are the chain client\'s', () => {
    expect([...NETWORK_NAMES].sort()).toEqual(Object.keys(NETWORK_ENDPOINTS).sort());
    expect(settingsSchema.shape.network.safeParse('wss://example.org:443').success).toBe(true);
    expect(settingsSchema.shape.network.safeParse('http://example.org').success).toBe(false);
  });
});

describe('precedence: flag > TENSORNET_* > config file > default', () => {
  test('nothing set: the defaults, and the settings without one unset', async () => {
    const shown = await show();
    expect(shown.configFile).toEqual({ path: join(home, '.tensornet', 'config.json'), origin: 'default', found: false });
    expect(shown.settings['network']).toEqual({ value: 'local', source: 'default', env: 'TENSORNET_NETWORK' });
    expect(shown.settings['json']).toMatchObject({ value: true, source: '--json' });
    expect(shown.settings['log-level']).toMatchObject({ value: 'info', source: 'default' });
    expect(shown.settings['wallet']).toMatchObject({ value: null, source: 'unset' });
  });

  test('each layer wins over the ones below it, key by key', async () => {
    writeConfig({ network: 'test', wallet: 'from-file', hotkey: 'hot-file', 'log-level': 'warn' });
    const shown = await show(['--network', 'ws://127.0.0.1:9950'], { TENSORNET_NETWORK: 'finney', TENSORNET_WALLET: 'from-env', TENSORNET_LOG_LEVEL: '' });
    const file = 'config file ~/.tensornet/config.json';
    expect(shown.configFile).toMatchObject({ origin: 'default', found: true });
    expect(shown.settings['network']).toMatchObject({ value: 'ws://127.0.0.1:9950', source: '--network' });
    expect(shown.settings['wallet']).toMatchObject({ value: 'from-env', source: 'TENSORNET_WALLET' });
    expect(shown.settings['hotkey']).toMatchObject({ value: 'hot-file', source: `${file}: hotkey` });
    // An empty variable counts as unset.
    expect(shown.settings['log-level']).toMatchObject({ value: 'warn', source: `${file}: log-level` });
    expect(shown.settings['wallet-path']).toMatchObject({ value: null, source: 'unset' });
  });

  test('the config file: --config-file, else TENSORNET_CONFIG, else ~/.tensornet/config.json', async () => {
    writeConfig({ wallet: 'default-file' });
    const named = writeConfig({ wallet: 'named-file' }, join(dir, 'named.json'));
    const byVar = writeConfig({ wallet: 'var-file' }, join(dir, 'var.json'));
    expect((await show()).settings['wallet']!.value).toBe('default-file');
    expect((await show([], { TENSORNET_CONFIG: byVar })).settings['wallet']!.value).toBe('var-file');
    const flagged = await show(['--config-file', named], { TENSORNET_CONFIG: byVar });
    expect(flagged.settings['wallet']!.value).toBe('named-file');
    expect(flagged.configFile).toEqual({ path: named, origin: 'flag', found: true });
  });

  test('a real command takes its settings from each layer (wallet list, wallet create)', async () => {
    const fromFile = join(dir, 'file-wallets');
    const fromEnv = join(dir, 'env-wallets');
    writeConfig({ 'wallet-path': fromFile, wallet: 'carol', hotkey: 'm1', json: true });
    // json from the file: JSON without --json; the path from the file, then from the variable, then from the flag.
    expect(JSON.parse((await cli(['wallet', 'list'])).out)).toEqual({ path: fromFile, wallets: [] });
    expect(JSON.parse((await cli(['wallet', 'list'], { TENSORNET_WALLET_PATH: fromEnv })).out)).toEqual({ path: fromEnv, wallets: [] });
    expect(JSON.parse((await cli(['wallet', 'list', '--wallet-path', walletPath], { TENSORNET_WALLET_PATH: fromEnv })).out)).toEqual({ path: walletPath, wallets: [] });
    // --no-json beats the file; TENSORNET_JSON=0 too.
    expect((await cli(['wallet', 'list', '--no-json'])).out).not.toMatch(/^\{/);
    expect((await cli(['wallet', 'list'], { TENSORNET_JSON: '0' })).out).not.toMatch(/^\{/);

    const created = await cli(['wallet', 'create', '--no-password'], { TENSORNET_HOTKEY: 'm2' });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ wallet: 'carol', path: join(fromFile, 'carol'), hotkey: 'm2' });
  });
});

describe('a bad value is one line naming its source, exit 2', () => {
  test('a variable', async () => {
    expect(await cli(['wallet', 'list'], { TENSORNET_NETWORK: 'foo' })).toEqual({
      code: 2,
      out: '',
      err: 'tensornet: TENSORNET_NETWORK: expected local, test, finney, archive or a ws(s):// URL (got "foo")\n',
    });
    expect((await cli(['wallet', 'list'], { TENSORNET_JSON: 'maybe' })).err).toBe('tensornet: TENSORNET_JSON: expected true or false (got "maybe")\n');
    expect((await cli(['localnet', '--tmp'], { TENSORNET_LOG_LEVEL: 'loud' })).err).toBe('tensornet: TENSORNET_LOG_LEVEL: expected one of silent, error, warn, info, debug (got "loud")\n');
    // A credential in a URL is not echoed.
    expect((await cli(['metagraph', 'show', '--netuid', '1'], { TENSORNET_NETWORK: 'https://user:secret@example.org' })).err).toBe('tensornet: TENSORNET_NETWORK: "https://***@example.org" must use ws:// or wss://\n');
  });

  test('a flag', async () => {
    expect(await cli(['subnet', 'list', '--network', 'foo'])).toMatchObject({ code: 2, err: 'tensornet: --network: expected local, test, finney, archive or a ws(s):// URL (got "foo")\n' });
    expect((await cli(['wallet', 'list', '--wallet', ''])).err).toBe('tensornet: --wallet: must not be empty (got "")\n');
  });

  test('the config file: not JSON, not an object, an unknown key, a bad value, a file that is not there', async () => {
    const file = 'tensornet: config file ~/.tensornet/config.json';
    writeConfig('{"network": "test",}');
    const notJson = await cli(['wallet', 'list']);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(new RegExp(`^${file}: not valid JSON: .+\\n$`));
    writeConfig(['test']);
    expect((await cli(['wallet', 'list'])).err).toBe(`${file}: expected a JSON object of settings (see tensornet config show --help)\n`);
    // Unknown keys are errors (a misspelt setting would otherwise be ignored without a word).
    writeConfig({ netwrok: 'test' });
    expect((await cli(['wallet', 'list'])).err).toBe(`${file}: unknown key "netwrok" (settings: network, wallet, hotkey, wallet-path, json, log-level; sections: miner, validator)\n`);
    writeConfig({ wallet: 5 });
    expect(await cli(['wallet', 'list'])).toMatchObject({ code: 2, err: `${file}: wallet: expected a string (got 5)\n` });
    writeConfig({ json: 'yes' });
    expect((await cli(['wallet', 'list'])).err).toBe(`${file}: json: expected true or false (got "yes")\n`);
    writeConfig({ network: 'mainnet' });
    expect((await cli(['metagraph', 'show', '--netuid', '1'])).err).toBe(`${file}: network: expected local, test, finney, archive or a ws(s):// URL (got "mainnet")\n`);
    writeConfig({ miner: 'fast' });
    expect((await cli(['wallet', 'list'])).err).toBe(`${file}: miner: expected an object of miner flags (got "fast")\n`);
    writeConfig({ validator: { hotkey: '' } });
    expect((await cli(['wallet', 'list'])).err).toBe(`${file}: validator.hotkey: must not be empty (got "")\n`);

    const missing = join(dir, 'nope.json');
    expect(await cli(['wallet', 'list', '--config-file', missing])).toMatchObject({ code: 2, err: `tensornet: config file ${missing} (--config-file): cannot read it (ENOENT)\n` });
    expect((await cli(['wallet', 'list'], { TENSORNET_CONFIG: missing })).err).toBe(`tensornet: config file ${missing} (TENSORNET_CONFIG): cannot read it (ENOENT)\n`);
  });

  test('--help still works with a broken config file, and a command without settings never reads it', async () => {
    writeConfig('not json');
    expect(await help(['wallet', 'list', '--help'])).toContain('--wallet-path');
    const input = join(dir, 'missing-vector.json');
    expect((await cli(['consensus', 'yuma', '--input', input])).err).not.toMatch(/config file/);
  });
});

describe('a command\'s section: its own flags, and shared settings for it alone', () => {
  const base = { netuid: 1, subnet: 'digits', device: 'cpu' };

  test('a section sets required and defaulted flags; a flag beats it', async () => {
    writeConfig({ miner: { ...base, port: 70000 } });
    // --netuid and --subnet are required: the section gives them; its port is checked like the flag.
    expect(await cli(['miner'])).toMatchObject({ code: 2, err: 'tensornet: --port must be an integer in [0, 65535] (got 70000)\n' });
    // The flag wins over the section; the next check (the address to announce) is reached.
    expect((await cli(['miner', '--port', '0'])).err).toMatch(/^tensornet: --external-ip is required: the chain refuses to announce --host 0\.0\.0\.0/);
  });

  test('shared settings in the section win over the top level (for that command only)', async () => {
    writeConfig({ wallet: 'top', 'wallet-path': walletPath, miner: { ...base, wallet: 'sectioned', hotkey: 'h', port: 0, 'external-ip': '203.0.113.7', metrics: false } });
    expect((await cli(['miner'])).err).toMatch(/^tensornet: wallet "sectioned" has no hotkey "h": .* does not exist/);
    expect((await show()).settings['wallet']!.value).toBe('top');
  });

  test('a section\'s unknown key or bad value is one line', async () => {
    const file = 'tensornet: config file ~/.tensornet/config.json';
    writeConfig({ miner: { ...base, portt: 1 } });
    expect(await cli(['miner'])).toMatchObject({ code: 2, err: `${file}: miner: unknown key "portt" (tensornet miner --help lists its flags)\n` });
    writeConfig({ miner: { ...base, port: '8091' } });
    expect((await cli(['miner'])).err).toBe(`${file}: miner.port: expected a number (got "8091")\n`);
    writeConfig({ miner: { ...base, device: 'tpu' } });
    expect((await cli(['miner'])).err).toBe(`${file}: miner.device: expected one of auto, cuda, webgpu, cpu (got "tpu")\n`);
  });

  test('the option tables keep their defaults (the resolver applies them after the file)', () => {
    expect(minerOptions.port.default).toBe(8091);
  });
});

describe('repeated flags', () => {
  test('a scalar flag given twice is a usage error naming it', async () => {
    expect(await cli(['wallet', 'list', '--wallet', 'a', '--wallet', 'b'])).toEqual({ code: 2, out: '', err: 'tensornet: --wallet was given 2 times ("a", "b"): give it once\n' });
    expect((await cli(['wallet', 'list', '--wallet-path', 'x', '--wallet-path=y'])).err).toBe('tensornet: --wallet-path was given 2 times ("x", "y"): give it once\n');
    // A command without shared settings, and a number flag.
    expect((await cli(['consensus', 'yuma', '--input', 'a.json', '--input', 'b.json'])).err).toBe('tensornet: --input was given 2 times ("a.json", "b.json"): give it once\n');
    expect((await cli(['metagraph', 'show', '--netuid', '1', '--netuid', '2'])).err).toBe('tensornet: --netuid was given 2 times (1, 2): give it once\n');
  });

  test('an array flag stays repeatable (subnet list --mechanism)', async () => {
    const result = await cli(['subnet', 'list', '--mechanism', 'digits', '--mechanism', 'ocr', '--network', 'ws://127.0.0.1:1', '--timeout', '2', '--json']);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.out) as { mechanisms: { name: string }[]; chain: { reachable: boolean } };
    expect(listing.mechanisms.map((m) => m.name)).toEqual(['digits', 'ocr']);
    expect(listing.chain.reachable).toBe(false);
  });

  test('a boolean flag given twice is just set', async () => {
    expect((await cli(['config', 'show', '--json', '--json'])).code).toBe(0);
  });
});

describe('--help', () => {

  test('shows each setting with its variable and default, and --config-file', async () => {
    const text = await help(['wallet', 'balance', '--help']);
    for (const key of ['network', 'wallet', 'hotkey', 'wallet-path', 'json']) expect(text).toContain(`[env: ${envName(key)}]`);
    expect(text).toMatch(/--network .*\[env: TENSORNET_NETWORK\].*\[default: local\]/);
    expect(text).toMatch(/--wallet .*\[default: \$BT_WALLET_NAME or "default"\]/);
    expect(text).toMatch(/--config-file .*\[env: TENSORNET_CONFIG\].*\[default: ~\/\.tensornet\/config\.json\]/);
  });

  test('a command with a section keeps showing its own defaults', async () => {
    const text = await help(['miner', '--help']);
    expect(text).toMatch(/--port .*\[default: 8091\]/);
    expect(text).toMatch(/--host .*\[default: "0\.0\.0\.0"\]/);
    expect(text).toMatch(/--log-level .*\[env: TENSORNET_LOG_LEVEL\]/);
  });

  test('config show --help documents the file', async () => {
    const text = await help(['config', 'show', '--help']);
    expect(text).toContain('~/.tensornet/config.json');
    expect(text).toContain('"miner": {');
  });
});
