/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * `tensornet models train` through the BUILT command (`npm test` builds first; in a dev loop run
 * `npm run build`), spawned as a real process through bin/tensornet.js: a one-epoch run end to end, and
 * the one-line user errors.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/cli';
import { TIER_CHOICES } from '../../cli/cmds/models';
import type { CliIo } from '../../cli/io';
import { DIGITS_TIERS, trainDigitsModel } from '../../subnets/digits';

const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'tensornet.js');
const CLI = join(REPO, 'dist', 'cli', 'main.js');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command without blocking the test's event loop (a run trains for seconds). */
function tensornet(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the CLI in this process through `runCli`, capturing its output. */
async function inProcess(args: readonly string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const status = await runCli(args, io);
  return { status, stdout: out.join(''), stderr: err.join('') };
}

/** Exit 2, nothing on stdout, exactly one stderr line starting `tensornet: `, no stack trace. */
function expectUsageError(r: Run, pattern: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tensornet: /);
  expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+/);
  expect(lines[0]).toMatch(pattern);
  expect(r.status).toBe(2);
}

let dir: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), 'models-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tensornet models train digits', () => {
  test('behavior: one epoch of the linear tier writes the model it trained and prints its held-out accuracy', async () => {
    const out = join(dir, 'linear.onnx');
    const r = await tensornet(['models', 'train', 'digits', '--tier', 'linear', '--epochs', '1', '--seed', '5', '--out', out]);
    expect(r.stderr).toBe('tensornet models train: digits-linear epoch 1/1 loss ' + /loss (\d+\.\d{4})/.exec(r.stderr)![1] + '\n');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as Record<string, unknown>;
    const bytes = readFileSync(out);
    expect(report).toEqual({
      subnet: 'digits',
      tier: 'linear',
      out,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      epochs: 1,
      seed: 5,
      trainSeconds: expect.any(Number),
      heldOut: { accuracy: expect.any(Number), count: 1996 },
      heldOutAugmented: { accuracy: expect.any(Number), count: 1996, augmentSeed: 1 },
    });
    const heldOut = report['heldOut'] as { accuracy: number };
    expect(heldOut.accuracy).toBeGreaterThan(0.6); // one epoch; chance is 0.1
    // The file is exactly what the library trains for that tier, epochs and seed.
    expect(bytes.equals(Buffer.from(await trainDigitsModel('linear', { epochs: 1, seed: 5 })))).toBe(true);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });

  test('errors: unknown tier or subnet, a bad --out, bad --epochs or --seed: one line, exit 2, nothing written', async () => {
    const out = join(dir, 'never.onnx');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const cases: [string[], RegExp][] = [
      [['--tier', 'huge', '--out', out], /Invalid values: Argument: tier, Given: "huge", Choices: "linear", "mlp", "mlp-large"/],
      [['--out', out], /Missing required argument: tier/],
      [['--tier', 'linear', '--out', join(dir, 'missing', 'm.onnx')], /^tensornet: --out: directory .*missing does not exist$/],
      [['--tier', 'linear', '--out', join(file, 'm.onnx')], /^tensornet: --out: .*a-file is not a directory$/],
      [['--tier', 'linear', '--out', dir], /^tensornet: --out: .* is a directory; name the \.onnx file to write$/],
      [['--tier', 'linear', '--epochs', '0', '--out', out], /^tensornet: --epochs: epochs must be an integer in \[1, 1000\] \(got 0\)$/],
      [['--tier', 'linear', '--epochs', 'many', '--out', out], /^tensornet: --epochs: epochs must be an integer in \[1, 1000\] \(got NaN\)$/],
      [['--tier', 'linear', '--seed', '-1', '--out', out], /^tensornet: --seed: seed must be an integer/],
    ];
    // In process (the same parser and handler), then one of them as a real process.
    for (const [args, pattern] of cases) expectUsageError(await inProcess(['models', 'train', 'digits', ...args]), pattern);
    expectUsageError(await inProcess(['models', 'train', 'letters', '--tier', 'linear']), /Invalid values: Argument: subnet, Given: "letters", Choices: "digits"/);
    expectUsageError(await inProcess(['models']), /models needs a command \(train\)/);
    expectUsageError(await tensornet(['models', 'train', 'digits', '--tier', 'linear', '--out', dir]), /is a directory/);
    expect(existsSync(out)).toBe(false);
  });

  test('the --tier choices are the subnet\'s tiers', () => {
    expect([...TIER_CHOICES]).toEqual([...DIGITS_TIERS]);
  });
});
