/**
 * The `tensornet consensus` contract, exercised through the BUILT command (`npm test` builds first;
 * in a dev loop run `npm run build`), plus the same CLI driven in-process through `runCli`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli', 'main.js');
const BIN = join(REPO, 'bin', 'tensornet.js');
const VECTORS_DIR = join(REPO, 'tests', 'fixtures', 'vectors');

/** The outputs the vectors record that `tensornet consensus yuma` prints (it also prints `stake_weight`). */
const YUMA_RECORDED_KEYS = [
  'rank',
  'trust',
  'consensus',
  'incentive',
  'dividends',
  'validator_trust',
  'pruning_scores',
  'active',
  'validator_permit',
  'bonds',
  'emission',
  'server_emission',
  'validator_emission',
] as const;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function tensornet(args: readonly string[], stdin?: string, entry = CLI): Run {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: REPO, input: stdin ?? '', encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface VectorDoc {
  kind: string;
  epochs: Array<{ inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
}

function loadVector(file: string): VectorDoc {
  return JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as VectorDoc;
}

function pick(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}

/** Exit 2, nothing on stdout, exactly one stderr line starting `tensornet: `, no stack trace. */
function expectBadInput(r: Run, pattern: RegExp | string): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(lines[0]).toMatch(/^tensornet: /);
  expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+/);
  if (typeof pattern === 'string') expect(lines[0]).toBe(pattern);
  else expect(lines[0]).toMatch(pattern);
  expect(r.status).toBe(2);
}

const vectorFiles = readdirSync(VECTORS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const yumaFiles = vectorFiles.filter((f) => loadVector(f).kind === 'yuma');
const rootFiles = vectorFiles.filter((f) => loadVector(f).kind === 'root');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
});

describe('tensornet consensus yuma', () => {
  test('default: the fixtures hold yuma and root vectors', () => {
    expect(yumaFiles.length).toBeGreaterThanOrEqual(6);
    expect(rootFiles.length).toBeGreaterThanOrEqual(1);
  });

  test.each(yumaFiles)('behavior: %s reproduces the recorded outputs exactly', (file) => {
    const vector = loadVector(file);
    const r = tensornet(['consensus', 'yuma', '--input', join(VECTORS_DIR, file)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const printed = JSON.parse(r.stdout) as { epochs: Array<{ outputs: Record<string, unknown> }> };
    expect(Object.keys(printed)).toEqual(['epochs']);
    expect(printed.epochs).toHaveLength(vector.epochs.length);
    printed.epochs.forEach((epoch, e) => {
      const expected = vector.epochs[e]!.outputs;
      expect(pick(epoch.outputs, YUMA_RECORDED_KEYS)).toEqual(pick(expected, YUMA_RECORDED_KEYS));
      expect(epoch.outputs.stake_weight).toHaveLength(vector.epochs[e]!.inputs.n as number);
    });
  });

  test('args: --input - reads stdin; --pretty prints the same JSON indented', () => {
    const file = join(VECTORS_DIR, yumaFiles[0]!);
    const oneLine = tensornet(['consensus', 'yuma', '--input', file]);
    const piped = tensornet(['consensus', 'yuma', '--input', '-'], readFileSync(file, 'utf8'));
    const pretty = tensornet(['consensus', 'yuma', '-i', file, '--pretty']);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(oneLine.stdout);
    expect(pretty.status).toBe(0);
    expect(pretty.stdout.split('\n').length).toBeGreaterThan(10);
    expect(JSON.parse(pretty.stdout)).toEqual(JSON.parse(oneLine.stdout));
  });

  test('behavior: bin/tensornet.js runs the built CLI', () => {
    const r = tensornet(['consensus', 'yuma', '--input', join(VECTORS_DIR, yumaFiles[0]!)], undefined, BIN);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(tensornet(['consensus', 'yuma', '--input', join(VECTORS_DIR, yumaFiles[0]!)]).stdout);
  });
});

describe('tensornet consensus root', () => {
  test.each(rootFiles)('behavior: %s reproduces outputs.emission_values exactly', (file) => {
    const vector = loadVector(file);
    const r = tensornet(['consensus', 'root', '--input', join(VECTORS_DIR, file)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as { epochs: Array<{ outputs: Record<string, unknown> }> };
    expect(printed).toEqual({ epochs: vector.epochs.map((e) => ({ outputs: { emission_values: e.outputs.emission_values } })) });
  });

  test('behavior: an aborted root epoch prints outputs null and the abort code, and exits 0', () => {
    const doc = loadVector(rootFiles[0]!);
    const aborting = { kind: 'root', epochs: [{ inputs: { ...doc.epochs[0]!.inputs, stake: [], weights: [] } }, doc.epochs[0]!] };
    const r = tensornet(['consensus', 'root', '--input', '-'], JSON.stringify(aborting));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as { epochs: Array<{ outputs: unknown; skipped?: string }> };
    expect(printed.epochs).toHaveLength(2);
    expect(printed.epochs[0]!.outputs).toBeNull();
    expect(['NoRootValidators', 'NoNetworks', 'ZeroRootStake']).toContain(printed.epochs[0]!.skipped);
    expect(printed.epochs[1]).toEqual({ outputs: { emission_values: doc.epochs[0]!.outputs.emission_values } });
  });
});

describe('errors: exit 2 with one stderr line', () => {
  const base = (): VectorDoc => loadVector('honest_majority.json');
  const inputs = (doc: VectorDoc): Record<string, unknown> => doc.epochs[0]!.inputs;
  const yumaStdin = (doc: unknown): Run => tensornet(['consensus', 'yuma', '--input', '-'], typeof doc === 'string' ? doc : JSON.stringify(doc));

  test('error: bad JSON', () => {
    expectBadInput(yumaStdin('{"kind": "yuma", "epochs": ['), /^tensornet: invalid JSON: /);
  });

  test('error: missing file', () => {
    const missing = join(REPO, 'no-such-dir', 'missing.json');
    expectBadInput(tensornet(['consensus', 'yuma', '--input', missing]), `tensornet: cannot read ${missing}: no such file`);
  });

  test('error: mismatched lengths', () => {
    const doc = base();
    (inputs(doc).stake as unknown[]).pop();
    expectBadInput(yumaStdin(doc), 'tensornet: epochs[0].inputs.stake: has 8 entries, expected n = 9');
  });

  test('error: uid out of range', () => {
    const doc = base();
    (inputs(doc).weights as number[][][])[3]![1]![0] = 12;
    expectBadInput(yumaStdin(doc), 'tensornet: epochs[0].inputs.weights[3][1]: uid 12 out of range (n = 9)');
  });

  test('error: negative stake', () => {
    const doc = base();
    (inputs(doc).stake as number[])[2] = -5;
    expectBadInput(yumaStdin(doc), 'tensornet: epochs[0].inputs.stake[2]: must be a non-negative integer (got -5)');
  });

  test('error: non-integer stake', () => {
    const doc = base();
    (inputs(doc).stake as number[])[2] = 2.5;
    expectBadInput(yumaStdin(doc), 'tensornet: epochs[0].inputs.stake[2]: must be a non-negative integer (got 2.5)');
  });

  test('error: unknown kind', () => {
    const doc = base();
    doc.kind = 'subnet';
    expectBadInput(yumaStdin(doc), 'tensornet: kind: must be "yuma" or "root" (got "subnet")');
  });

  test('error: the other command\'s kind', () => {
    expectBadInput(tensornet(['consensus', 'root', '--input', join(VECTORS_DIR, yumaFiles[0]!)]), 'tensornet: kind: must be "root" for `tensornet consensus root` (got "yuma")');
  });

  test('error: a later epoch is named', () => {
    const doc = base();
    (doc.epochs[2]!.inputs.bonds_before as number[][][])[0]!.push([5, 1]);
    expectBadInput(yumaStdin(doc), /^tensornet: epochs\[2\]\.inputs\.bonds_before\[0\]\[\d+\]: uid 5 appears twice in this row/);
  });

  test.each([
    [['consensus', 'yuma', '--input', 'x.json', '--bogus'], 'tensornet: Unknown argument: bogus (see tensornet --help)'],
    [['consensus', 'yumx', '--input', 'x.json'], 'tensornet: Unknown command: yumx (see tensornet --help)'],
    [['consensus', 'yuma'], 'tensornet: Missing required argument: input (see tensornet --help)'],
    [['consensus'], 'tensornet: consensus needs a command: yuma or root (see tensornet --help)'],
    [[], 'tensornet: tensornet needs a command (see tensornet --help)'],
  ])('error: usage %j', (args, line) => {
    expectBadInput(tensornet(args), line);
  });
});

describe('runCli (in-process)', () => {
  function fakeIo(stdin: string): CliIo & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: () => Promise.resolve(stdin) };
  }

  test('default: same output as the built command', async () => {
    const file = join(VECTORS_DIR, yumaFiles[0]!);
    const io = fakeIo(readFileSync(file, 'utf8'));
    await expect(runCli(['consensus', 'yuma', '--input', '-'], io)).resolves.toBe(0);
    expect(io.err).toEqual([]);
    expect(io.out.join('')).toBe(tensornet(['consensus', 'yuma', '--input', file]).stdout);
  });

  test('error: malformed input resolves to 2 with one line', async () => {
    const io = fakeIo('[]');
    await expect(runCli(['consensus', 'root', '--input', '-'], io)).resolves.toBe(2);
    expect(io.out).toEqual([]);
    expect(io.err).toEqual(['tensornet: the document must be an object (got an array)\n']);
  });
});
