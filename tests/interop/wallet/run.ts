/**
 * Wallet interop harness (see README.md beside this file): runs the reference SDK's own Python wallet
 * code (bittensor <= 7.x `bittensor/keyfile.py`, `wallet.py`, `commands/list.py`, on the real
 * substrate-interface Keypair and scalecodec ss58 code) against tensornet's `chain-client/wallet` and
 * `tensornet wallet` CLI, in both directions, and exits non-zero when any check fails.
 *
 *   npm run interop:wallet -- --bittensor-src DIR --substrate-interface-src DIR --scalecodec-src DIR --base58-src DIR
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  Keyfile, Wallet, WalletError, decryptKeyfileData, encodeEnvPassword, keypairFromMnemonic, keypairFromSeed, keypairFromUri, passwordEnvVarName,
  signMessage, verifyMessage, walletCryptoReady, type Keypair,
} from '../../../chain-client/wallet';
import { packageInfo as utilCryptoInfo } from '@polkadot/util-crypto';
import { packageInfo as wasmCryptoInfo } from '@polkadot/wasm-crypto';

const REPO = resolve(__dirname, '../../../..');
const PY_DIR = join(REPO, 'tests/interop/wallet/py');

/** Fixed inputs: BIP39 test-vector mnemonics, fixed seeds, one message, one password that passes both policies. */
const FIXED = {
  password: 'interop-Pa55word!',
  refColdkeyMnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
  refHotkeyMnemonic: 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  refColdkeySeed: '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  tnColdkeyMnemonic: 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
  tnHotkeyMnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  tnColdkeySeed: '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
  tnHotkeySeed: '0xfffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0',
  message: 'tensornet wallet interop: the same bytes signed on both sides',
} as const;

interface SourceSpec {
  readonly flag: string;
  readonly defaultRef: string;
  readonly paths: readonly string[];
  readonly what: string;
}

const SOURCES: Record<'bittensor' | 'substrateInterface' | 'scalecodec' | 'base58', SourceSpec> = {
  bittensor: {
    flag: 'bittensor-src', defaultRef: 'v7.4.0', what: 'opentensor/bittensor (<= 7.x: the last pure-Python wallet code)',
    paths: ['bittensor/keyfile.py', 'bittensor/wallet.py', 'bittensor/errors.py', 'bittensor/utils/wallet_utils.py', 'bittensor/commands/list.py'],
  },
  substrateInterface: { flag: 'substrate-interface-src', defaultRef: 'v1.7.11', what: 'polkascan/py-substrate-interface (bittensor 7.4 pins ~=1.7.9)', paths: ['substrateinterface'] },
  scalecodec: { flag: 'scalecodec-src', defaultRef: 'v1.2.11', what: 'polkascan/py-scale-codec (bittensor 7.4 pins ==1.2.11)', paths: ['scalecodec'] },
  base58: { flag: 'base58-src', defaultRef: 'v2.1.1', what: 'keis/base58 (scalecodec needs base58 >= 1.0.3, < 3)', paths: ['base58'] },
};

class HarnessError extends Error {}

interface Options {
  readonly src: Record<keyof typeof SOURCES, { dir: string; ref: string }>;
  readonly python: string | undefined;
  readonly keep: boolean;
}

const USAGE = `usage: npm run interop:wallet -- --bittensor-src DIR [--bittensor-ref REF]
    --substrate-interface-src DIR [--substrate-interface-ref REF] --scalecodec-src DIR [--scalecodec-ref REF]
    --base58-src DIR [--base58-ref REF] [--python PATH] [--keep]
Each DIR is a source checkout (used as it is) or a git repository (bare or not; REF is archived).
Default refs: ${Object.values(SOURCES).map((s) => `${s.flag.replace('-src', '')} ${s.defaultRef}`).join(', ')}.
--python: an interpreter that has pynacl, cryptography, rich, termcolor and requests; without it a venv is
made under the temp folder and filled by pip from its configured index.`;

function parseArgs(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (arg === '--keep') {
      keep = true;
      continue;
    }
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new HarnessError(`unexpected argument ${arg}\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new HarnessError(`--${m[1]} needs a value`);
    values.set(m[1]!, value);
  }
  const src = {} as Options['src'];
  for (const [key, spec] of Object.entries(SOURCES) as [keyof typeof SOURCES, SourceSpec][]) {
    const dir = values.get(spec.flag);
    if (dir === undefined) throw new HarnessError(`--${spec.flag} DIR is required: a checkout or git repository of ${spec.what}\n${USAGE}`);
    src[key] = { dir: resolve(dir), ref: values.get(spec.flag.replace('-src', '-ref')) ?? spec.defaultRef };
    values.delete(spec.flag);
    values.delete(spec.flag.replace('-src', '-ref'));
  }
  const python = values.get('python');
  values.delete('python');
  if (values.size > 0) throw new HarnessError(`unknown option --${[...values.keys()][0]}\n${USAGE}`);
  return { src, python, keep };
}

function git(dir: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Copies a source's files into `site`; returns what was used (commit when known). */
function stageSource(spec: SourceSpec, dir: string, ref: string, site: string): string {
  if (!existsSync(dir)) throw new HarnessError(`--${spec.flag} ${dir} does not exist`);
  if (existsSync(join(dir, spec.paths[0]!))) {
    for (const p of spec.paths) {
      if (!existsSync(join(dir, p))) throw new HarnessError(`${dir} has no ${p} (${spec.what})`);
      cpSync(join(dir, p), join(site, p), { recursive: true });
    }
    let head = 'not a git work tree';
    try {
      head = `HEAD ${git(dir, ['rev-parse', 'HEAD'])}${git(dir, ['status', '--porcelain']).length > 0 ? ' + local changes' : ''}`;
    } catch {
      // a plain source folder
    }
    return `${dir} (work tree, ${head})`;
  }
  let commit: string;
  try {
    commit = git(dir, ['rev-parse', `${ref}^{commit}`]);
  } catch {
    throw new HarnessError(`${dir} holds neither ${spec.paths[0]} nor a git ref ${ref} (${spec.what}); pass --${spec.flag.replace('-src', '-ref')}`);
  }
  for (const p of spec.paths) {
    try {
      git(dir, ['cat-file', '-e', `${commit}:${p}`]);
    } catch {
      const hint = spec === SOURCES.bittensor ? ' (bittensor >= 8 moved the wallet to the Rust bittensor-wallet; use a 7.x tag such as v7.4.0)' : '';
      throw new HarnessError(`${ref} of ${dir} has no ${p}${hint}`);
    }
  }
  const tar = execFileSync('git', ['-C', dir, 'archive', '--format=tar', commit, ...spec.paths], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', site], { input: tar });
  let described = ref;
  try {
    described = git(dir, ['describe', '--tags', '--always', commit]);
  } catch {
    // no tags
  }
  return `${dir} @ ${described} (${commit})`;
}

function pythonEnv(explicit: string | undefined): string {
  if (explicit !== undefined) return explicit;
  const venv = join(tmpdir(), 'tensornet-interop-wallet-venv');
  const python = join(venv, 'bin', 'python');
  const probe = spawnSync(python, ['-c', 'import nacl, cryptography, rich, termcolor, requests'], { stdio: 'ignore' });
  if (probe.status === 0) return python;
  log(`making a Python venv at ${venv} (pip install pynacl cryptography rich termcolor requests)`);
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', 'pynacl', 'cryptography', 'rich', 'termcolor', 'requests'], { stdio: 'inherit' });
  return python;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------------
// checks

interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const results: CheckResult[] = [];

function check(name: string, ok: boolean, detail = ''): boolean {
  results.push({ name, ok, detail });
  log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  — ${detail}` : ''}`);
  return ok;
}

function same(name: string, actual: unknown, expected: unknown): boolean {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return check(name, a === e, a === e ? String(a).slice(0, 80) : `got ${a}, expected ${e}`);
}

async function expectError(name: string, code: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
    check(name, false, `no error (expected ${code})`);
  } catch (err) {
    check(name, err instanceof WalletError && err.code === code, err instanceof WalletError ? err.code : String(err));
  }
}

// ---------------------------------------------------------------------------------------------------
// the Python side

interface PyKey {
  readonly address: string;
  readonly publicKey: string;
  readonly signature?: string;
}

interface PyFileInfo {
  readonly mode: string;
  readonly size: number;
  readonly head: string;
  readonly json?: Record<string, string | null> | null;
}

interface PyWallet {
  /** null when the reference could not open it (then coldkeyError says why). */
  readonly coldkey: PyKey | null;
  readonly coldkeyError?: string;
  readonly coldkeypub: string;
  /** The coldkey's JSON as the reference decrypted it (null when it could not). */
  readonly coldkeyJson: Record<string, string | null> | null;
  readonly coldkeyEncrypted?: boolean;
  readonly wrongPassword?: string;
  readonly hotkeys: Record<string, PyKey>;
  readonly files: Record<string, PyFileInfo | null>;
}

interface PyReadResult {
  readonly wallets: Record<string, PyWallet>;
  readonly verified: readonly { address: string; signature: string; what: string; ok: boolean }[];
  readonly list: string;
}

function runPython(python: string, pythonPath: string, op: 'create' | 'read', request: unknown): unknown {
  const server = JSON.stringify([process.execPath, join(__dirname, 'sr25519-server.js')]);
  const res = spawnSync(python, [join(PY_DIR, 'driver.py'), op], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1', TN_INTEROP_SR25519_SERVER: server, NO_COLOR: '1' },
  });
  if (res.status !== 0) {
    throw new HarnessError(`the reference Python code failed in "${op}" (exit ${res.status}):\n${(res.stderr ?? '').split('\n').slice(-25).join('\n')}`);
  }
  const lines = res.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

// ---------------------------------------------------------------------------------------------------
// the tensornet side

function tensornetCli(args: readonly string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [join(REPO, 'bin/tensornet.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function fileMode(path: string): string {
  return `0o${(statSync(path).mode & 0o777).toString(8)}`;
}

function withoutNulls(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null).sort(([a], [b]) => a.localeCompare(b)));
}

function sorted(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
}

interface ListedWallet {
  readonly name: string;
  readonly coldkey: string | null;
  readonly hotkeys: readonly { name: string; address: string | null }[];
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'tensornet-interop-wallet-'));
  try {
    return await runChecks(opts, work);
  } finally {
    if (opts.keep) process.stdout.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function runChecks(opts: Options, work: string): Promise<number> {
  const site = join(work, 'site');
  mkdirSync(site);
  const used: string[] = [];
  for (const [key, spec] of Object.entries(SOURCES) as [keyof typeof SOURCES, SourceSpec][]) {
    used.push(`${spec.what.split(' ')[0]}: ${stageSource(spec, opts.src[key].dir, opts.src[key].ref, site)}`);
  }
  // Overlays replace the package __init__ files that would drag in the rest of each SDK (see py/overlay).
  cpSync(join(PY_DIR, 'overlay'), site, { recursive: true });
  const pythonPath = [join(PY_DIR, 'shims'), site].join(':');
  const python = pythonEnv(opts.python);
  used.push(`python: ${execFileSync(python, ['-c', 'import sys, nacl; print(sys.version.split()[0], "pynacl", nacl.__version__)'], { encoding: 'utf8' }).trim()}`);
  used.push(`sr25519/bip39 natives: @polkadot/util-crypto ${utilCryptoInfo.version}, @polkadot/wasm-crypto ${wasmCryptoInfo.version} (Node ${process.version})`);
  for (const line of used) log(`reference ${line}`);

  await walletCryptoReady();
  const message = Buffer.from(FIXED.message, 'utf8');
  const messageHex = message.toString('hex');
  const refPath = join(work, 'ref-wallets');
  const tnPath = join(work, 'tn-wallets');
  const password = FIXED.password;

  // ---- A: the reference creates, tensornet reads ------------------------------------------------
  log('\n== A: wallets written by the reference (bittensor wallet.py / keyfile.py), read by tensornet');
  const created = runPython(python, pythonPath, 'create', {
    walletPath: refPath, password, messageHex,
    coldkeyMnemonic: FIXED.refColdkeyMnemonic, hotkeyMnemonic: FIXED.refHotkeyMnemonic, coldkeySeed: FIXED.refColdkeySeed,
  }) as Record<string, PyWallet>;
  const tnSignatures: { address: string; signature: string; what: string }[] = [];

  const expectedRef: Record<string, { coldkey: string | null; hotkeys: Record<string, string | null> }> = {
    ref: { coldkey: keypairFromMnemonic(FIXED.refColdkeyMnemonic).address, hotkeys: { hk: keypairFromMnemonic(FIXED.refHotkeyMnemonic).address, uri: keypairFromUri('//Alice').address } },
    'ref-new': { coldkey: null, hotkeys: { default: null } },
    'ref-seed': { coldkey: keypairFromSeed(FIXED.refColdkeySeed).address, hotkeys: {} },
  };
  for (const [name, exp] of Object.entries(expectedRef)) {
    const py = created[name];
    if (!check(`A ${name}: the reference wrote the wallet`, py !== undefined && py.coldkey !== null)) continue;
    const pc = py.coldkey!;
    const wallet = new Wallet({ name, path: refPath, env: {} });
    if (exp.coldkey !== null) same(`A ${name}: reference coldkey address = tensornet's derivation of the same ${name === 'ref-seed' ? 'seed' : 'mnemonic'}`, pc.address, exp.coldkey);
    same(`A ${name}: coldkeypub.txt read by tensornet`, (await wallet.coldkeypub()).address, pc.address);
    const encrypted = py.files['coldkey']?.head === '$NACL';
    check(`A ${name}: coldkey is ${name === 'ref-seed' ? 'plaintext' : '$NACL-encrypted'} on disk`, encrypted === (name !== 'ref-seed'), py.files['coldkey']?.head ?? 'missing');
    let cold: Keypair | undefined;
    try {
      cold = await wallet.unlockColdkey(encrypted ? { password } : {});
      same(`A ${name}: coldkey unlocked by tensornet${encrypted ? ' with the password' : ''}`, cold.address, pc.address);
      same(`A ${name}: tensornet's decrypted coldkey JSON = the reference's`, sorted({ ...cold.data }), sorted(py.coldkeyJson ?? {}));
    } catch (err) {
      check(`A ${name}: coldkey unlocked by tensornet`, false, err instanceof WalletError ? `${err.code}: ${err.message}` : String(err));
    }
    if (encrypted) await expectError(`A ${name}: a wrong password is refused (WrongPassword)`, 'WrongPassword', () => wallet.unlockColdkey({ password: `${password}-wrong` }));
    if (pc.signature) check(`A ${name}: the reference coldkey's signature verifies in tensornet`, verifyMessage(message, pc.signature, pc.address));
    if (cold?.pair) tnSignatures.push({ address: cold.address, signature: signMessage(cold, message), what: `tensornet-signed with reference coldkey ${name}` });
    for (const [hk, expAddr] of Object.entries(exp.hotkeys)) {
      const pyHot = py.hotkeys[hk];
      if (!check(`A ${name}/${hk}: the reference wrote the hotkey`, pyHot !== undefined)) continue;
      if (expAddr !== null) same(`A ${name}/${hk}: reference hotkey address = tensornet's derivation`, pyHot.address, expAddr);
      const hw = new Wallet({ name, hotkey: hk, path: refPath, env: {} });
      const hot = await hw.unlockHotkey();
      same(`A ${name}/${hk}: hotkey read by tensornet`, hot.address, pyHot.address);
      same(`A ${name}/${hk}: hotkeypub() (no pub file from bittensor 7: falls back to the hotkey file)`, (await hw.hotkeypub()).address, pyHot.address);
      if (pyHot.signature) check(`A ${name}/${hk}: the reference hotkey's signature verifies in tensornet`, verifyMessage(message, pyHot.signature, pyHot.address));
      tnSignatures.push({ address: hot.address, signature: signMessage(hot, message), what: `tensornet-signed with reference hotkey ${name}/${hk}` });
    }
  }
  const listA = tensornetCli(['wallet', 'list', '--wallet-path', refPath, '--json']);
  if (check('A: tensornet wallet list --json exits 0', listA.status === 0, listA.stderr.trim())) {
    const listed = (JSON.parse(listA.stdout) as { wallets: ListedWallet[] }).wallets;
    for (const [name, py] of Object.entries(created)) {
      const lw = listed.find((w) => w.name === name);
      same(`A: tensornet wallet list shows ${name}'s coldkey`, lw?.coldkey, py.coldkeypub);
      for (const [hk, key] of Object.entries(py.hotkeys)) same(`A: tensornet wallet list shows ${name}/${hk}`, lw?.hotkeys.find((h) => h.name === hk)?.address, key.address);
    }
  }

  // ---- B: tensornet creates, the reference reads --------------------------------------------------
  log('\n== B: wallets written by tensornet (CLI and chain-client/wallet), read by the reference');
  const envFor = (name: string): Record<string, string> => {
    const path = new Wallet({ name, path: tnPath, env: {} }).coldkeyFile.path;
    const varName = passwordEnvVarName(path);
    return { [varName]: encodeEnvPassword(varName, password) };
  };
  const cliRuns: [string, string[], Record<string, string>][] = [
    ['tensornet wallet regen (coldkey, encrypted)', ['wallet', 'regen', '--wallet', 'tn', '--mnemonic', FIXED.tnColdkeyMnemonic], envFor('tn')],
    ['tensornet wallet regen --key hotkey', ['wallet', 'regen', '--wallet', 'tn', '--key', 'hotkey', '--hotkey', 'hk', '--mnemonic', FIXED.tnHotkeyMnemonic], {}],
    ['tensornet wallet create', ['wallet', 'create', '--wallet', 'tn-new', '--hotkey', 'default'], envFor('tn-new')],
  ];
  for (const [what, args, env] of cliRuns) {
    const res = tensornetCli([...args, '--wallet-path', tnPath, '--json'], env);
    check(`B: ${what} exits 0`, res.status === 0, res.status === 0 ? '' : res.stderr.trim());
  }
  await new Wallet({ name: 'tn', hotkey: 'uri', path: tnPath, env: {} }).regenerateHotkey({ uri: '//Bob' });
  await new Wallet({ name: 'tn-seed', path: tnPath, env: {} }).regenerateColdkey({ seed: FIXED.tnColdkeySeed }, { encrypt: false });
  await new Wallet({ name: 'tn-seed', hotkey: 'default', path: tnPath, env: {} }).regenerateHotkey({ seed: FIXED.tnHotkeySeed });
  // The same keys the reference wrote in A, written by tensornet, for a field-by-field comparison.
  await new Wallet({ name: 'tn-same', path: tnPath, env: {} }).regenerateColdkey({ mnemonic: FIXED.refColdkeyMnemonic }, { password });
  await new Wallet({ name: 'tn-same', hotkey: 'hk', path: tnPath, env: {} }).regenerateHotkey({ mnemonic: FIXED.refHotkeyMnemonic });
  await new Wallet({ name: 'tn-same', hotkey: 'uri', path: tnPath, env: {} }).regenerateHotkey({ uri: '//Alice' });

  const tnWallets: Record<string, readonly string[]> = { tn: ['hk', 'uri'], 'tn-new': ['default'], 'tn-seed': ['default'], 'tn-same': ['hk', 'uri'] };
  const tnKeys: Record<string, { coldkey: Keypair; hotkeys: Record<string, Keypair> }> = {};
  for (const [name, hotkeys] of Object.entries(tnWallets)) {
    const w = new Wallet({ name, path: tnPath, env: {} });
    const coldkey = await w.unlockColdkey(name === 'tn-seed' ? {} : { password });
    tnSignatures.push({ address: coldkey.address, signature: signMessage(coldkey, message), what: `tensornet-signed with tensornet coldkey ${name}` });
    const hk: Record<string, Keypair> = {};
    for (const h of hotkeys) {
      hk[h] = await new Wallet({ name, hotkey: h, path: tnPath, env: {} }).unlockHotkey();
      tnSignatures.push({ address: hk[h]!.address, signature: signMessage(hk[h]!, message), what: `tensornet-signed with tensornet hotkey ${name}/${h}` });
    }
    tnKeys[name] = { coldkey, hotkeys: hk };
  }
  same('B: tn coldkey = the CLI regen mnemonic', tnKeys['tn']!.coldkey.address, keypairFromMnemonic(FIXED.tnColdkeyMnemonic).address);

  const read = runPython(python, pythonPath, 'read', {
    walletPath: tnPath, password, messageHex,
    wallets: Object.fromEntries(Object.entries(tnWallets).map(([n, h]) => [n, { hotkeys: h }])),
    verify: tnSignatures,
  }) as PyReadResult;
  for (const [name, keys] of Object.entries(tnKeys)) {
    const py = read.wallets[name];
    if (!check(`B ${name}: the reference opened the wallet`, py !== undefined)) continue;
    same(`B ${name}: reference coldkeypub address`, py.coldkeypub, keys.coldkey.address);
    check(`B ${name}: reference sees the coldkey as ${name === 'tn-seed' ? 'plaintext' : 'encrypted'}`, py.coldkeyEncrypted === (name !== 'tn-seed'));
    const pyCold = py.coldkey;
    if (pyCold === null) {
      check(`B ${name}: reference ${name === 'tn-seed' ? 'reads' : 'decrypts'} the coldkey`, false, py.coldkeyError ?? 'no coldkey');
    } else {
      same(`B ${name}: reference ${name === 'tn-seed' ? 'reads' : 'decrypts'} the coldkey`, pyCold.address, keys.coldkey.address);
      same(`B ${name}: the reference's decrypted coldkey JSON = what tensornet wrote`, sorted(py.coldkeyJson ?? {}), sorted({ ...keys.coldkey.data }));
      if (keys.coldkey.data.secretPhrase) same(`B ${name}: the reference sees the mnemonic`, py.coldkeyJson?.['secretPhrase'], keys.coldkey.data.secretPhrase);
      if (pyCold.signature) check(`B ${name}: the reference's coldkey signature verifies in tensornet`, verifyMessage(message, pyCold.signature, keys.coldkey.address));
    }
    if (name !== 'tn-seed') check(`B ${name}: reference refuses a wrong password`, (py.wrongPassword ?? '').startsWith('KeyFileError'), py.wrongPassword ?? 'not tried');
    for (const [hk, kp] of Object.entries(keys.hotkeys)) {
      same(`B ${name}/${hk}: reference reads the hotkey`, py.hotkeys[hk]?.address, kp.address);
      const sig = py.hotkeys[hk]?.signature;
      check(`B ${name}/${hk}: the reference's hotkey signature verifies in tensornet`, sig !== undefined && verifyMessage(message, sig, kp.address));
    }
    for (const [rel, info] of Object.entries(py.files)) check(`B ${name}: ${rel} has mode 0600 (the reference chmods every keyfile 0600)`, info?.mode === '0o600', info?.mode ?? 'missing');
  }
  log(`btcli wallet list (bittensor/commands/list.py) of the tensornet wallets:\n${read.list.trimEnd()}`);
  for (const v of read.verified) check(`B: the reference verifies: ${v.what}`, v.ok);
  for (const [name, keys] of Object.entries(tnKeys)) {
    const entry = `${name} (${keys.coldkey.address})`;
    check(`B: btcli wallet list (bittensor/commands/list.py) shows ${entry}`, read.list.includes(entry));
    for (const [hk, kp] of Object.entries(keys.hotkeys)) check(`B: btcli wallet list shows ${name}/${hk}`, read.list.includes(`${hk} (${kp.address})`));
  }

  // ---- C: the same key written by both sides holds the same JSON ---------------------------------
  log('\n== C: the same keys written by both sides: identical keyfile JSON (after decryption)');
  const pairs: [string, string][] = [['coldkey', 'coldkey'], ['hotkeys/hk', 'hotkeys/hk'], ['hotkeys/uri', 'hotkeys/uri'], ['coldkeypub.txt', 'coldkeypub.txt']];
  for (const [refRel, tnRel] of pairs) {
    const refFile = new Keyfile(join(refPath, 'ref', refRel));
    const tnFile = new Keyfile(join(tnPath, 'tn-same', tnRel));
    let refData: Record<string, unknown>;
    let tnData: Record<string, unknown>;
    try {
      refData = await refFile.readData({ password, env: {} });
      tnData = await tnFile.readData({ password, env: {} });
    } catch (err) {
      check(`C ${refRel}: both files open in tensornet`, false, err instanceof WalletError ? `${err.code}: ${err.message}` : String(err));
      continue;
    }
    const strict = refRel !== 'coldkeypub.txt';
    // bittensor 7 writes every key (null when absent); a public file then differs only by those nulls.
    same(`C ${refRel}: ${strict ? 'same JSON keys and values' : 'same non-null JSON keys and values'}`, strict ? sorted(tnData) : withoutNulls(tnData), strict ? sorted(refData) : withoutNulls(refData));
    same(`C ${refRel}: same mode`, fileMode(tnFile.path), fileMode(refFile.path));
  }
  const refColdBytes = new Keyfile(join(refPath, 'ref', 'coldkey')).readBytes();
  const refPlain = await decryptKeyfileData(refColdBytes, password).catch(() => new Uint8Array());
  same('C coldkey: the reference file is $NACL ‖ 24-byte nonce ‖ secretbox (16-byte MAC + plaintext)', refColdBytes.length, 5 + 24 + 16 + refPlain.length);
  const layout = (root: string): string[] => readdirSync(root, { recursive: true }).map(String).sort();
  log(`reference layout ref/: ${layout(join(refPath, 'ref')).join(', ')}`);
  log(`tensornet layout tn-same/: ${layout(join(tnPath, 'tn-same')).join(', ')}`);

  // ---- summary ------------------------------------------------------------------------------------
  const failed = results.filter((r) => !r.ok);
  process.stdout.write(`\nwallet interop against:\n${used.map((u) => `  ${u}`).join('\n')}\n`);
  if (failed.length > 0) process.stdout.write(`\nfailed:\n${failed.map((r) => `  ✗ ${r.name}${r.detail ? ` — ${r.detail}` : ''}`).join('\n')}\n`);
  process.stdout.write(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`interop:wallet: ${err instanceof HarnessError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
