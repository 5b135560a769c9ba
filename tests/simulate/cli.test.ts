/**
 * `tensornet simulate economy` through the CLI (in process, `runCli`): the example config's CSV (shape,
 * numbers that add up) and SVG (well-formed XML with one line per series), progress lines off a TTY,
 * and bad input → exit 2 with one stderr line naming the problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';

const EXAMPLE = join(__dirname, '..', '..', 'simulate', 'examples', 'economy.json');

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', writeStdout: (t: string) => void (io.out += t), writeStderr: (t: string) => void (io.err += t), readStdin: async () => '' };
  return io;
}

/** A minimal well-formedness check: balanced, properly nested tags, quoted attributes, escaped text. */
function assertWellFormedXml(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const text = body.slice(last, m.index);
    expect(text).not.toMatch(/[<>]/);
    expect(text.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/&/);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name!);
    if (!closing) names.push(name!);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  return names;
}

describe('tensornet simulate economy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tensornet-simulate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('default: the example writes economy.csv and economy.svg and prints a JSON summary', async () => {
    const io = captureIo();
    const code = await runCli(['simulate', 'economy', '--config', EXAMPLE, '--out', dir, '--epochs', '15'], io);
    expect(code).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ epochs: 15, blocks: 150, csv: join(dir, 'economy.csv'), svg: join(dir, 'economy.svg') });
    // Plain progress lines (stderr is not a TTY here): at least the first and the last epoch.
    expect(io.err).toContain('tensornet simulate: epoch 15/15\n');
    expect(io.err.trim().split('\n').every((l) => /^tensornet simulate: epoch \d+\/15$/.test(l))).toBe(true);

    const [header, ...rows] = readFileSync(join(dir, 'economy.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    const hotkeys = ['//Alice//sn1-validator', '//Dave//sn2-validator', '//Charlie//sn1-validator', '//Ferdie//root-only', '//Bob//sn1-miner-a', '//Bob//sn1-miner-b', '//Dave//sn2-miner-a', '//Dave//sn2-miner-b', '//Eve//sn3-validator', '//Eve//sn3-miner'];
    expect(header).toEqual([
      'epoch', 'block', 'block_emission', 'total_issuance', 'total_stake', 'owner_balances',
      'share:0', 'share:1', 'share:2', 'share:3', 'emission:0', 'emission:1', 'emission:2', 'emission:3',
      ...hotkeys.map((h) => `reward:${h}`),
    ]);
    expect(rows).toHaveLength(15);
    const col = (name: string): string[] => rows.map((r) => r[header!.indexOf(name)]!);
    expect(col('epoch')).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    for (const r of rows) {
      expect(r).toHaveLength(header!.length);
      const be = BigInt(r[2]!);
      expect(be).toBe(1_000_000_000n);
      // Each share is emission / block emission, to 9 decimals; the subnets' shares sum to ~1.
      let sum = 0;
      for (const k of [0, 1, 2, 3]) {
        const share = Number(r[header!.indexOf(`share:${k}`)]);
        expect(share).toBeCloseTo(Number(BigInt(r[header!.indexOf(`emission:${k}`)]!)) / 1e9, 9);
        sum += share;
      }
      expect(sum).toBeGreaterThan(0.999999);
      expect(sum).toBeLessThanOrEqual(1);
    }
    // Conservation from the CSV alone: Δ issuance = Δ owner balances + Δ total stake.
    for (let i = 1; i < rows.length; i++) {
      const d = (name: string): bigint => BigInt(col(name)[i]!) - BigInt(col(name)[i - 1]!);
      expect(d('total_issuance')).toBe(d('owner_balances') + d('total_stake'));
    }
    expect(BigInt(col('reward://Alice//sn1-validator').at(-1)!)).toBeGreaterThan(0n);

    const svg = readFileSync(join(dir, 'economy.svg'), 'utf8');
    const names = assertWellFormedXml(svg);
    expect(names[0]).toBe('svg');
    // One polyline per network and per hotkey, each with 15 points.
    const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' '));
    expect(polylines).toHaveLength(4 + hotkeys.length);
    for (const points of polylines) expect(points).toHaveLength(15);
    for (const h of hotkeys) expect(svg).toContain(`>${h}</text>`);
  });

  test('args: --epochs defaults to the config; --out is created', async () => {
    const config = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const file = join(dir, 'short.json');
    writeFileSync(file, JSON.stringify({ ...config, epochs: 2 }));
    const io = captureIo();
    const out = join(dir, 'nested', 'out');
    expect(await runCli(['simulate', 'economy', '-c', file, '-o', out], io)).toBe(0);
    expect(readFileSync(join(out, 'economy.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(3);
    expect(existsSync(join(out, 'economy.svg'))).toBe(true);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a missing subnets list', { root: [{ hotkey: '//A', coldkey: '//B' }] }, /config subnets: /],
    ['a negative stake', { subnets: [{ netuid: 1, owner: '//Bob', neurons: [{ hotkey: '//A', coldkey: '//B', stake: -5 }] }], root: [{ hotkey: '//A', coldkey: '//B' }] }, /config subnets\.0\.neurons\.0\.stake: /],
    ['a subnet weight on a missing uid', { subnets: [{ netuid: 1, owner: '//Bob', neurons: [{ hotkey: '//A', coldkey: '//B', weights: [[3, 1]] }] }], root: [{ hotkey: '//A', coldkey: '//B' }] }, /config subnets\.0\.neurons\.0\.weights\.0: uid 3 out of range/],
    ['a root weight on an unknown netuid', { subnets: [{ netuid: 1, owner: '//Bob', neurons: [{ hotkey: '//A', coldkey: '//B' }] }], root: [{ hotkey: '//A', coldkey: '//B', weights: [[9, 1]] }] }, /config root\.0\.weights\.0: netuid 9 is not a configured subnet/],
    ['an unknown key', { subnets: [], root: [], tempo: 3 }, /config /],
    ['an account that does not resolve', { subnets: [{ netuid: 1, owner: 'not-an-address', neurons: [{ hotkey: '//A', coldkey: '//B' }] }], root: [{ hotkey: '//A', coldkey: '//B' }] }, /config subnets\.0\.owner: not an account/],
  ];
  test.each(bad)('error: %s → exit 2, one line naming the problem', async (_, doc, message) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(doc));
    const io = captureIo();
    expect(await runCli(['simulate', 'economy', '--config', file, '--out', dir], io)).toBe(2);
    expect(io.err).toMatch(message);
    expect(io.err.startsWith('tensornet: ')).toBe(true);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    expect(io.out).toBe('');
    expect(existsSync(join(dir, 'economy.csv'))).toBe(false);
  });

  test('error: unreadable file, invalid JSON, bad --epochs, missing --config', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--config', join(dir, 'nope.json')], /cannot read config .*nope\.json: ENOENT/],
      [['--config', (writeFileSync(join(dir, 'x.json'), '{'), join(dir, 'x.json'))], /is not valid JSON/],
      [['--config', EXAMPLE, '--epochs', '0'], /--epochs must be an integer in \[1, 100000\] \(got 0\)/],
      [['--config', EXAMPLE, '--epochs', '2.5'], /--epochs must be an integer/],
      [[], /Missing required argument: config/],
    ];
    for (const [args, message] of cases) {
      const io = captureIo();
      expect(await runCli(['simulate', 'economy', ...args], io)).toBe(2);
      expect(io.err).toMatch(message);
      expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    }
    const io = captureIo();
    expect(await runCli(['simulate'], io)).toBe(2);
    expect(io.err).toBe('tensornet: simulate needs a command (economy) (see tensornet --help)\n');
  });
});
