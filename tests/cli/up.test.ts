/**
 * `tensornet up` as a real process (dist/cli/main.js through bin/tensornet.js; `npm test` builds first): a
 * small network comes up, an epoch with non-zero incentive is reported, the better tier leads, the API
 * answers with the printed key, and one SIGINT stops everything — the process exits 0 and its ports close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'tensornet.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-up-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: readonly string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'up', ...args], { cwd: REPO, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function until(what: string, probe: () => boolean, timeoutMs: number, show: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${show()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

test('a small network comes up, pays the better tier more, and one SIGINT stops all of it', async () => {
  const config = join(dir, 'net.json');
  writeFileSync(config, JSON.stringify({ stepIntervalMs: 300, subnets: [{ mechanism: 'digits', validators: [1000, 400], tiers: ['mlp-large', 'linear'] }] }));
  const up = run(['--config', config, '--port', '0', '--api-port', '0']);
  try {
    await until('the first epoch with incentive', () => /first epoch with non-zero incentive: [\d.]+ s/.test(up.out()), 120_000, () => up.err() + up.out());
    const chainPort = Number(/chain ws:\/\/127\.0\.0\.1:(\d+)/.exec(up.out())![1]);
    const [, apiUrl, key] = /validator API (http:\/\/127\.0\.0\.1:\d+) \(key: (\S+)\)/.exec(up.out())!;
    const subnets = await fetch(`${apiUrl!}/v1/subnets`, { headers: { authorization: `Bearer ${key!}` } });
    expect(subnets.status).toBe(200);
    expect(((await subnets.json()) as { subnets?: unknown[] } | unknown[])).toBeTruthy();
    // Within a few more epochs the large model leads the linear one in on-chain incentive, and the copier trails.
    await until(
      'the better tier leading',
      () => {
        const tables = up.out().split('\n').filter((l) => l.includes('miners by incentive:'));
        const last = tables[tables.length - 1] ?? '';
        return /uid \d+ mlp-large [\d.]+ · uid \d+ linear [\d.]+ · uid \d+ copier/.test(last) && !/mlp-large 0\.333/.test(last);
      },
      90_000,
      () => up.out(),
    );
    expect(await portOpen(chainPort)).toBe(true);
    up.child.kill('SIGINT');
    expect(await up.exit).toBe(0);
    expect(up.err()).toMatch(/tensornet up: stopped\n$/);
    expect(await portOpen(chainPort)).toBe(false);
    expect(await portOpen(Number(new URL(apiUrl!).port))).toBe(false);
  } finally {
    up.child.kill('SIGKILL');
  }
}, 240_000);

test('a config that does not fit is one line naming the field, exit 2', async () => {
  const config = join(dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ subnets: [{ mechanism: 'digits', validators: [-5] }] }));
  const up = run(['--config', config, '--port', '0', '--api-port', '0']);
  expect(await up.exit).toBe(2);
  expect(up.err()).toMatch(/^tensornet: --config .*bad\.json: subnets\.0\.validators\.0: .*\n$/);
  const tier = join(dir, 'tier.json');
  writeFileSync(tier, JSON.stringify({ subnets: [{ mechanism: 'digits', tiers: ['huge'] }] }));
  const second = run(['--config', tier, '--port', '0', '--api-port', '0']);
  expect(await second.exit).toBe(2);
  expect(second.err()).toBe('tensornet: --config: subnets.0.tiers: digits has no tier "huge" (tiers: mlp-large, mlp, linear)\n');
}, 60_000);

test('the default network: digits and ocr, three validators each with their defaults filled in', async () => {
  const { loadUpConfig } = await import('../../cli/cmds/up/config');
  const config = loadUpConfig(undefined);
  expect(config).toMatchObject({ blockTimeMs: 250, tempo: 10 });
  expect(config.subnets).toEqual([
    { mechanism: 'digits', owner: '//Alice', validators: [1000, 600, 300], copier: true },
    { mechanism: 'ocr', owner: '//Alice', validators: [1000, 600, 300], copier: true },
  ]);
});
