/**
 * The consensus benchmark: one Yuma epoch on seeded synthetic subnets, timed for the exact engine
 * (../consensus/yuma), the float64 baseline and the naive BigInt reference, with the exact engine's
 * memory per non-zero weight and an exact-vs-naive identity check. Prints one markdown table.
 */
import { isDeepStrictEqual } from 'node:util';
import type * as Xoroshiro from 'pure-rand/lib/generator/xoroshiro128plus';
import { DEFAULT_YUMA_HYPERPARAMETERS, Workspace, yumaEpoch, type SparseU16Row, type YumaEpochInput, type YumaEpochOutput } from '../consensus';
import { topK, yumaEpochBigInt, yumaEpochFloat64 } from '../consensus/reference';
import type { Benchmark } from './run';

// pure-rand publishes its generators only as package-`exports` subpaths, which this project's
// `moduleResolution: node` cannot resolve for types; the types come from the file the subpath maps to.
const { xoroshiro128plus } = require('pure-rand/generator/xoroshiro128plus') as typeof Xoroshiro;

type Engine = (input: YumaEpochInput) => YumaEpochOutput;

/** One synthetic subnet shape. */
export interface ScenarioSpec {
  /** Uids. */
  readonly n: number;
  /** Validators, = MaxAllowedValidators: the top V by stake hold permits. */
  readonly validators: number;
  /** Fraction of the other uids each validator weights (1 = dense). */
  readonly density: number;
  readonly seed: number;
}

const BLOCK = 1_000_000;

/** A seeded source of uniform doubles in [0, 1) and integers. */
class Rng {
  private readonly gen: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed);
  }

  /** Uniform in [0, 1), 53 bits. */
  next(): number {
    const hi = this.gen.next() >>> 5;
    const lo = this.gen.next() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

/** Scales a row so its largest value is 65535, as the chain stores weights and bonds. */
function maxUpscaledRow(cols: readonly number[], values: readonly number[]): SparseU16Row {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return cols.map((j, k) => [j, m === 0 ? 0 : Math.max(1, Math.round((values[k]! / m) * 65535))] as const);
}

/**
 * A deterministic subnet in a realistic state: stakes over four orders of magnitude, permits held by the
 * top V by stake (as the previous epoch left them), weights around a shared miner quality with
 * per-validator noise, bonds from a previous epoch on a mostly-overlapping support, recent
 * `last_update` for almost every validator (a few went inactive), and a few freshly re-registered uids
 * whose older weights are masked as outdated.
 */
export function generateScenario(spec: ScenarioSpec): YumaEpochInput {
  const { n, validators: v, density } = spec;
  const rng = new Rng(spec.seed);

  // Validators sit at random uids; they out-stake every miner.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const k = rng.int(0, i);
    [order[i], order[k]] = [order[k]!, order[i]!];
  }
  const isValidator = new Array<boolean>(n).fill(false);
  for (let r = 0; r < v; r++) isValidator[order[r]!] = true;
  const tao = 1_000_000_000;
  const stake = Array.from({ length: n }, (_, i) => BigInt(Math.floor(tao * (isValidator[i] ? 10 ** (2 + 4 * rng.next()) : 10 ** (-1 + rng.next())))));

  const blockAtRegistration = Array.from({ length: n }, () => (rng.next() < 0.02 ? BLOCK - rng.int(1, 200) : BLOCK - rng.int(10_000, 500_000)));
  const lastUpdate = Array.from({ length: n }, (_, i) => (!isValidator[i] ? blockAtRegistration[i]! : rng.next() < 0.03 ? BLOCK - rng.int(6_000, 20_000) : BLOCK - rng.int(1, 360)));

  const quality = Array.from({ length: n }, () => 0.05 + rng.next());
  const weights: SparseU16Row[] = [];
  const bonds: SparseU16Row[] = [];
  for (let i = 0; i < n; i++) {
    if (!isValidator[i]) {
      weights.push([]);
      bonds.push([]);
      continue;
    }
    const cols: number[] = [];
    const values: number[] = [];
    const oldCols: number[] = [];
    const oldValues: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const chosen = density >= 1 || rng.next() < density;
      if (chosen) {
        cols.push(j);
        values.push(quality[j]! * (0.8 + 0.4 * rng.next()));
      }
      // The previous epoch's support: mostly the same miners, plus a few this validator has since dropped.
      if ((chosen && rng.next() < 0.9) || (!chosen && rng.next() < density * 0.05)) {
        oldCols.push(j);
        oldValues.push(quality[j]! * Number(stake[i]!) * (0.5 + rng.next()));
      }
    }
    weights.push(maxUpscaledRow(cols, values));
    bonds.push(maxUpscaledRow(oldCols, oldValues));
  }

  // Stored bonds are column max-upscaled: rescale each column so its largest entry is 65535.
  const colMax = new Array<number>(n).fill(0);
  for (const row of bonds) for (const [j, b] of row) if (b > colMax[j]!) colMax[j] = b;
  const scaledBonds = bonds.map((row) => row.map(([j, b]) => [j, Math.max(1, Math.round((b / colMax[j]!) * 65535))] as const));

  return {
    n,
    block: BLOCK,
    stake,
    weights,
    bonds: scaledBonds,
    lastUpdate,
    blockAtRegistration,
    // The permits the previous epoch granted: top `v` by stake, ties to the higher uid.
    validatorPermit: topK(stake, v),
    emission: 295_200_000_000n,
    hyperparameters: { ...DEFAULT_YUMA_HYPERPARAMETERS, maxAllowedValidators: v },
  };
}

function countNonZeroWeights(input: YumaEpochInput): number {
  let nnz = 0;
  for (const row of input.weights) for (const [, w] of row) if (w !== 0) nnz++;
  return nnz;
}

interface Timing {
  medianMs: number;
  runs: number;
  last: YumaEpochOutput;
}

/**
 * Median wall time of `engine(input)`: `warmup` untimed runs, then timed runs until both `minRuns`
 * runs and `budgetMs` of timed work are done, or `maxRuns` is reached.
 */
function time(engine: Engine, input: YumaEpochInput, opts: { warmup: number; minRuns: number; maxRuns: number; budgetMs: number }): Timing {
  let last = engine(input);
  for (let k = 1; k < opts.warmup; k++) last = engine(input);
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < opts.maxRuns && (samples.length < opts.minRuns || spent < opts.budgetMs)) {
    const t0 = performance.now();
    last = engine(input);
    const dt = performance.now() - t0;
    samples.push(dt);
    spent += dt;
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const medianMs = samples.length % 2 === 1 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { medianMs, runs: samples.length, last };
}

function collectGarbage(): void {
  // run.ts re-executes node with --expose-gc; twice, so objects freed by finalizers go too.
  globalThis.gc?.();
  globalThis.gc?.();
}

function memoryInUse(): number {
  // Large typed-array backing stores live outside the JS heap (counted in `external`).
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Bytes that survive a full GC while the values built by `build` are held (averaged over `copies` builds), and the last value. */
function retained<T>(copies: number, build: () => T): { bytes: number; last: T } {
  collectGarbage();
  const before = memoryInUse();
  const held: T[] = [];
  for (let r = 0; r < copies; r++) held.push(build());
  collectGarbage();
  return { bytes: (memoryInUse() - before) / copies, last: held[held.length - 1]! };
}

interface MemoryProfile {
  /** The exact engine's whole footprint: a fresh scratch workspace (kept for the next epoch) plus the output. */
  footprintBytes: number;
  /** The output alone (the shared workspace already sized by earlier runs). */
  outputBytes: number;
}

function profileMemory(input: YumaEpochInput, nnz: number): MemoryProfile {
  // Several copies for small inputs so that allocator noise averages out.
  const copies = Math.max(1, Math.min(32, Math.floor(2_000_000 / nnz)));
  const footprintBytes = retained(copies, () => {
    const workspace = new Workspace();
    return [workspace, yumaEpoch(input, { workspace })] as const;
  }).bytes;
  const outputBytes = retained(copies, () => yumaEpoch(input)).bytes;
  return { footprintBytes, outputBytes };
}

interface Row {
  spec: ScenarioSpec;
  nnz: number;
  inputBytes: number;
  exact: Timing;
  float: Timing;
  naive: Timing;
  memory: MemoryProfile;
  identical: boolean;
  floatMaxU16Gap: number;
}

const U16_FIELDS = ['rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'pruningScores', 'stakeWeight'] as const;

function maxU16Gap(a: YumaEpochOutput, b: YumaEpochOutput): number {
  let gap = 0;
  for (const f of U16_FIELDS) {
    const x = a[f];
    const y = b[f];
    for (let i = 0; i < x.length; i++) gap = Math.max(gap, Math.abs(x[i]! - y[i]!));
  }
  return gap;
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function renderTable(rows: readonly Row[]): string {
  const lines = [
    '| n | V | weights | nnz | exact ms | float64 ms | naive ms | exact/float64 | naive/exact | exact B/nnz (workspace+output) | exact output B/nnz | input B/nnz | identical | float64 max Δu16 | runs e/f/n |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---|',
  ];
  for (const r of rows) {
    const m = r.memory;
    lines.push(
      `| ${r.spec.n} | ${r.spec.validators} | ${r.spec.density >= 1 ? 'dense' : `${Math.round(r.spec.density * 100)}%`} | ${r.nnz} | ${fmt(r.exact.medianMs)} | ${fmt(r.float.medianMs)} | ${fmt(r.naive.medianMs)} | ` +
        `${(r.exact.medianMs / r.float.medianMs).toFixed(2)} | ${(r.naive.medianMs / r.exact.medianMs).toFixed(1)} | ` +
        `${(m.footprintBytes / r.nnz).toFixed(1)} | ${(m.outputBytes / r.nnz).toFixed(1)} | ${(r.inputBytes / r.nnz).toFixed(1)} | ${r.identical ? 'yes' : 'no'} | ${r.floatMaxU16Gap} | ` +
        `${r.exact.runs}/${r.float.runs}/${r.naive.runs} |`,
    );
  }
  return lines.join('\n');
}

/** The scenarios, smallest first: n ∈ {256, 1024, 4096} × V ∈ {64, 256} × {dense, 10%}. */
export function consensusScenarios(): ScenarioSpec[] {
  const specs: ScenarioSpec[] = [];
  let seed = 20240301;
  for (const n of [256, 1024, 4096]) {
    for (const validators of [64, 256]) {
      for (const density of [1, 0.1]) specs.push({ n, validators, density, seed: seed++ });
    }
  }
  return specs;
}

function runConsensusBenchmark(): void {
  const out = process.stdout;
  out.write(`# consensus: one Yuma epoch (node ${process.version}, ${process.arch})\n\n`);
  const rows: Row[] = [];
  for (const spec of consensusScenarios()) {
    const { bytes: inputBytes, last: input } = retained(1, () => generateScenario(spec));
    const nnz = countNonZeroWeights(input);
    const label = `n=${spec.n} V=${spec.validators} ${spec.density >= 1 ? 'dense' : `${spec.density * 100}%`}`;
    process.stderr.write(`  ${label}: nnz ${nnz} …\n`);
    const big = nnz > 200_000;
    collectGarbage();
    const exact = time(yumaEpoch, input, { warmup: 3, minRuns: 7, maxRuns: 101, budgetMs: 2_000 });
    collectGarbage();
    const float = time(yumaEpochFloat64, input, { warmup: 3, minRuns: 7, maxRuns: 101, budgetMs: 2_000 });
    collectGarbage();
    const naive = time(yumaEpochBigInt, input, big ? { warmup: 1, minRuns: 3, maxRuns: 3, budgetMs: 0 } : { warmup: 2, minRuns: 5, maxRuns: 21, budgetMs: 3_000 });
    const memory = profileMemory(input, nnz);
    rows.push({
      spec,
      nnz,
      inputBytes,
      exact,
      float,
      naive,
      memory,
      identical: isDeepStrictEqual(exact.last, naive.last),
      floatMaxU16Gap: maxU16Gap(float.last, exact.last),
    });
  }
  out.write(`${renderTable(rows)}\n\n`);
  out.write(
    [
      'Median wall time of one epoch after warm-up (runs e/f/n: timed runs of exact/float64/naive).',
      'exact/float64: how many times slower the chain-exact engine is than plain float64; naive/exact: speed-up of the exact engine over the naive BigInt reference.',
      'Memory: heapUsed+external that survives a full GC while held, per non-zero weight. exact B/nnz: a fresh scratch workspace',
      '(which the engine keeps for the next epoch) plus the output; output: the output alone; input: the YumaEpochInput itself (JS arrays of [uid, u16] pairs).',
      'identical: exact output deep-equals the naive BigInt output. float64 max Δu16: largest difference of any u16 output vs exact.',
    ].join('\n') + '\n',
  );
}

/** `npm run bench -- consensus`. */
export const consensusBenchmark: Benchmark = {
  name: 'consensus',
  description: 'one Yuma epoch: exact engine vs float64 baseline vs naive BigInt, n ∈ {256, 1024, 4096}',
  run: runConsensusBenchmark,
};
