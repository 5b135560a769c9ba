/**
 * The file contract of the `tensornet consensus` commands: the JSON schema of the consensus vectors
 * (tests/fixtures/vectors/README.md) parsed into consensus inputs, and consensus outputs encoded the
 * way the vectors record them. Parsing runs in three stages, each reporting the first problem as a
 * {@link VectorFormatError} whose message names the JSON path:
 *
 * 1. shape and scalars (zod): types, u16 / u64 / block ranges, required fields;
 * 2. cross-field checks: per-uid vector lengths against `n`, sparse-row uids in range and unique;
 * 3. `validateYumaInput` / `validateRootInput` as a backstop (a `ConsensusError` there is mapped too).
 *
 * Integer encodings: u16 values and blocks are JSON numbers; u64 values (stake, rao,
 * `BondsMovingAverage`) are read from JSON integers up to 2^53−1 or from decimal strings, and written
 * as JSON numbers up to 2^53−1 and decimal strings above.
 */
import { z } from 'zod';
import { TensornetError } from '../common/errors';
import { ConsensusError } from './errors';
import type { SparseU16Matrix } from './sparse';
import { DEFAULT_YUMA_HYPERPARAMETERS } from './types';
import type { RootEpochInput, RootEpochOutput, SparseU16Row, YumaEpochInput, YumaEpochOutput, YumaHyperparameters } from './types';
import { validateRootInput, validateYumaInput } from './validate';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** A segment of a JSON path: an object key or an array index. */
export type JsonPathSegment = string | number;

export interface VectorFormatErrorDetails {
  /** Where the problem is, e.g. `['epochs', 0, 'inputs', 'weights', 3, 1]`; empty for the whole document. */
  readonly path: readonly JsonPathSegment[];
  /** The problem without the path, e.g. `uid 12 out of range (n = 9)`. */
  readonly reason: string;
}

/** A vector file (or JSON text) that does not follow the contract. The message is `<path>: <reason>`. */
export class VectorFormatError extends TensornetError<'InvalidVectorFile'> {
  static readonly code = 'InvalidVectorFile' as const;
  readonly path: readonly JsonPathSegment[];
  readonly reason: string;

  constructor(path: readonly JsonPathSegment[], reason: string, options?: { cause?: unknown }) {
    super(VectorFormatError.code, path.length === 0 ? reason : `${formatJsonPath(path)}: ${reason}`, { path: [...path], reason }, options);
    this.path = Object.freeze([...path]);
    this.reason = reason;
  }
}

export type ParseVectorFileErrorType = VectorFormatError;

/** `['epochs', 0, 'inputs', 'weights', 3, 1]` → `epochs[0].inputs.weights[3][1]`. */
export function formatJsonPath(path: readonly JsonPathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scalars and arrays (hand-rolled loops inside zod transforms: exact messages, fast on big arrays)
// ---------------------------------------------------------------------------------------------

const U16_MAX = 65535;
const U64_MAX = (1n << 64n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A short, readable rendering of an offending JSON value for messages. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
  }
  return String(v);
}

type Parsed<T> = { ok: true; value: T } | { ok: false; path: JsonPathSegment[]; reason: string };
type ScalarParser<T> = (v: unknown) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string, path: JsonPathSegment[] = []): Parsed<T> => ({ ok: false, path, reason });

const parseU16: ScalarParser<number> = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= U16_MAX ? ok(v) : fail(`must be an integer in [0, 65535] (got ${describe(v)})`);

const parseBlock: ScalarParser<number> = (v) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? ok(v) : fail(`must be a non-negative integer block number (got ${describe(v)})`);

const parseBool: ScalarParser<boolean> = (v) => (typeof v === 'boolean' ? ok(v) : fail(`must be true or false (got ${describe(v)})`));

/** u64: a JSON integer in [0, 2^53−1] or a decimal string in [0, 2^64−1]. */
const parseU64: ScalarParser<bigint> = (v) => {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) return fail(`must be a non-negative integer (got ${describe(v)})`);
    if (!Number.isSafeInteger(v)) return fail(`${describe(v)} is above 2^53−1; write larger u64 values as decimal strings`);
    return ok(BigInt(v));
  }
  if (typeof v === 'string') {
    if (!/^[0-9]{1,20}$/.test(v)) return fail(`must be a non-negative integer or a decimal string (got ${describe(v)})`);
    const b = BigInt(v);
    return b <= U64_MAX ? ok(b) : fail(`${v} is above the u64 maximum 18446744073709551615`);
  }
  return fail(`must be a non-negative integer or a decimal string (got ${describe(v)})`);
};

/** One JSON value parsed by `parse`; a missing required value is reported as `required`. */
function scalar<T>(parse: ScalarParser<T>): z.ZodType<T> {
  return z.unknown().transform((v, ctx): T => {
    const r = v === undefined ? fail<T>('required') : parse(v);
    if (r.ok) return r.value;
    ctx.issues.push({ code: 'custom', message: r.reason, input: v, path: r.path });
    return z.NEVER;
  });
}

function parseArray<T>(v: unknown, elem: ScalarParser<T>): Parsed<T[]> {
  if (!Array.isArray(v)) return fail(`must be an array (got ${describe(v)})`);
  const out = new Array<T>(v.length);
  for (let i = 0; i < v.length; i++) {
    const r = elem(v[i]);
    if (!r.ok) return fail(r.reason, [i, ...r.path]);
    out[i] = r.value;
  }
  return ok(out);
}

/** A sparse row `[[dest, u16], …]`; `dest` is only range-checked as a u16 here (stage 2 checks it against `n`). */
function parseSparseRow(v: unknown): Parsed<SparseU16Row> {
  if (!Array.isArray(v)) return fail(`must be an array of [uid, value] pairs (got ${describe(v)})`);
  const out: Array<readonly [number, number]> = new Array(v.length);
  for (let j = 0; j < v.length; j++) {
    const pair: unknown = v[j];
    if (!Array.isArray(pair) || pair.length !== 2) return fail(`must be a [uid, value] pair (got ${describe(pair)})`, [j]);
    const dest = parseU16(pair[0]);
    if (!dest.ok) return fail(dest.reason, [j, 0]);
    const value = parseU16(pair[1]);
    if (!value.ok) return fail(value.reason, [j, 1]);
    out[j] = [dest.value, value.value] as const;
  }
  return ok(out);
}

const u16 = scalar(parseU16);
const u64 = scalar(parseU64);
const block = scalar(parseBlock);
const bool = scalar(parseBool);
const u16Array = scalar((v) => parseArray(v, parseU16));
const u64Array = scalar((v) => parseArray(v, parseU64));
const blockArray = scalar((v) => parseArray(v, parseBlock));
const boolArray = scalar((v) => parseArray(v, parseBool));
const sparseRows = scalar((v) => parseArray(v, parseSparseRow));

/** Messages for zod's own issues (object / array / literal shapes), in the same style as ours. */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  if ((iss.code === 'invalid_type' || iss.code === 'invalid_value') && iss.input === undefined) return 'required';
  if (iss.code === 'invalid_type') {
    return `must be ${iss.expected === 'array' || iss.expected === 'object' ? 'an' : 'a'} ${iss.expected} (got ${describe(iss.input)})`;
  }
  if (iss.code === 'invalid_value') {
    return `must be ${iss.values.map((x) => JSON.stringify(x)).join(' or ')} (got ${describe(iss.input)})`;
  }
  return undefined;
};

function parseWith<T>(schema: z.ZodType<T>, doc: unknown, prefix: readonly JsonPathSegment[] = []): T {
  const r = schema.safeParse(doc, { error: errorMap });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = (issue?.path ?? []).filter((s): s is JsonPathSegment => typeof s !== 'symbol');
  const full = [...prefix, ...path];
  const reason = issue?.message ?? 'invalid';
  throw new VectorFormatError(full, full.length === 0 ? `the document ${reason}` : reason);
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const kindSchema = z.object({ kind: z.enum(['yuma', 'root']) });

/**
 * The subnet hyperparameters a Yuma file may give (storage names; other keys such as `Tempo` are
 * ignored). Every one is optional and defaults to {@link DEFAULT_YUMA_HYPERPARAMETERS}.
 * Liquid alpha: `LiquidAlphaOn` (bool) and either `AlphaValues: [low, high]` (the storage tuple) or
 * `AlphaLow` / `AlphaHigh` (u16 each) — not both forms in one file.
 */
const yumaHyperparametersSchema = z.object({
  Kappa: u16.optional(),
  BondsMovingAverage: u64.optional(),
  ActivityCutoff: u16.optional(),
  MaxAllowedValidators: u16.optional(),
  LiquidAlphaOn: bool.optional(),
  AlphaValues: scalar((v) => {
    const r = parseArray(v, parseU16);
    return r.ok && r.value.length !== 2 ? fail<number[]>(`must be [alpha_low, alpha_high] (got ${r.value.length} values)`) : r;
  }).optional(),
  AlphaLow: u16.optional(),
  AlphaHigh: u16.optional(),
});

const yumaInputsSchema = z.object({
  block,
  n: u16,
  stake: u64Array,
  weights: sparseRows,
  bonds_before: sparseRows,
  last_update: blockArray,
  block_at_registration: blockArray,
  validator_permit_before: boolArray,
  rao_emission: u64,
});

const yumaFileSchema = z.object({
  kind: z.literal('yuma'),
  hyperparameters: yumaHyperparametersSchema.optional(),
  epochs: z.array(z.object({ inputs: yumaInputsSchema })),
});

const rootInputsSchema = z.object({
  stake: u64Array,
  weights: sparseRows,
  networks_added_iteration_order: u16Array,
  block_emission: u64,
  kappa_root: u16,
  rho_root: u16,
});

const rootFileSchema = z.object({
  kind: z.literal('root'),
  epochs: z.array(z.object({ inputs: rootInputsSchema })),
});

type YumaHyperparametersJson = z.infer<typeof yumaHyperparametersSchema>;

// ---------------------------------------------------------------------------------------------
// Stage 2: cross-field checks
// ---------------------------------------------------------------------------------------------

/** Each row's uids unique and, when `bound` is given, below it. */
function checkRows(rows: readonly SparseU16Row[], path: readonly JsonPathSegment[], bound: number | null): void {
  rows.forEach((row, r) => {
    const seen = new Map<number, number>();
    row.forEach(([dest], j) => {
      if (bound !== null && dest >= bound) throw new VectorFormatError([...path, r, j], `uid ${dest} out of range (n = ${bound})`);
      const first = seen.get(dest);
      if (first !== undefined) throw new VectorFormatError([...path, r, j], `uid ${dest} appears twice in this row (also at [${r}][${first}])`);
      seen.set(dest, j);
    });
  });
}

function checkLength(actual: number, expected: number, path: readonly JsonPathSegment[], what: string): void {
  if (actual !== expected) throw new VectorFormatError(path, `has ${actual} entries, expected ${what}`);
}

/** Stage 3: the consensus module's own validation, mapped onto the epoch's path. */
function backstop(validate: () => void, path: readonly JsonPathSegment[]): void {
  try {
    validate();
  } catch (err) {
    if (err instanceof ConsensusError) throw new VectorFormatError(path, err.message, { cause: err });
    throw err;
  }
}

function toHyperparameters(hp: YumaHyperparametersJson | undefined): YumaHyperparameters {
  const d = DEFAULT_YUMA_HYPERPARAMETERS;
  if (hp === undefined) return d;
  if (hp.AlphaValues !== undefined && (hp.AlphaLow !== undefined || hp.AlphaHigh !== undefined)) {
    throw new VectorFormatError(['hyperparameters', 'AlphaValues'], 'give either AlphaValues or AlphaLow/AlphaHigh, not both');
  }
  return Object.freeze({
    kappa: hp.Kappa ?? d.kappa,
    bondsMovingAverage: hp.BondsMovingAverage ?? d.bondsMovingAverage,
    activityCutoff: hp.ActivityCutoff ?? d.activityCutoff,
    maxAllowedValidators: hp.MaxAllowedValidators ?? d.maxAllowedValidators,
    liquidAlphaEnabled: hp.LiquidAlphaOn ?? d.liquidAlphaEnabled,
    alphaLow: hp.AlphaValues?.[0] ?? hp.AlphaLow ?? d.alphaLow,
    alphaHigh: hp.AlphaValues?.[1] ?? hp.AlphaHigh ?? d.alphaHigh,
  });
}

// ---------------------------------------------------------------------------------------------
// Public parse API
// ---------------------------------------------------------------------------------------------

export type VectorKind = 'yuma' | 'root';

export type ParsedVectorFile =
  | { readonly kind: 'yuma'; readonly epochs: YumaEpochInput[] }
  | { readonly kind: 'root'; readonly epochs: RootEpochInput[] };

/** `JSON.parse` that throws a {@link VectorFormatError} (empty path) instead of a `SyntaxError`. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new VectorFormatError([], `invalid JSON: ${reason}`, { cause: err });
  }
}

/** The document's `kind`, checked to be `"yuma"` or `"root"`. */
export function readVectorKind(doc: unknown): VectorKind {
  return parseWith(kindSchema, doc).kind;
}

/**
 * A `kind: "yuma"` vector file → one `YumaEpochInput` per `epochs[]` entry (all sharing the file's
 * hyperparameters). Fields other than those listed in the contract are ignored.
 * @throws {VectorFormatError} naming the JSON path of the first problem.
 */
export function parseYumaVectorFile(doc: unknown): YumaEpochInput[] {
  const file = parseWith(yumaFileSchema, doc);
  const hyperparameters = toHyperparameters(file.hyperparameters);
  return file.epochs.map(({ inputs: x }, e): YumaEpochInput => {
    const at = ['epochs', e, 'inputs'] as const;
    const perUid = [
      ['stake', x.stake.length],
      ['weights', x.weights.length],
      ['bonds_before', x.bonds_before.length],
      ['last_update', x.last_update.length],
      ['block_at_registration', x.block_at_registration.length],
      ['validator_permit_before', x.validator_permit_before.length],
    ] as const;
    for (const [name, len] of perUid) checkLength(len, x.n, [...at, name], `n = ${x.n}`);
    checkRows(x.weights, [...at, 'weights'], x.n);
    checkRows(x.bonds_before, [...at, 'bonds_before'], x.n);
    const input: YumaEpochInput = {
      n: x.n,
      block: x.block,
      stake: x.stake,
      weights: x.weights,
      bonds: x.bonds_before,
      lastUpdate: x.last_update,
      blockAtRegistration: x.block_at_registration,
      validatorPermit: x.validator_permit_before,
      emission: x.rao_emission,
      hyperparameters,
    };
    backstop(() => validateYumaInput(input), at);
    return input;
  });
}

/**
 * A `kind: "root"` vector file → one `RootEpochInput` per `epochs[]` entry. Root weight rows name
 * netuids: they must be unique per row but may name netuids absent from
 * `networks_added_iteration_order` (the chain ignores those).
 * @throws {VectorFormatError} naming the JSON path of the first problem.
 */
export function parseRootVectorFile(doc: unknown): RootEpochInput[] {
  const file = parseWith(rootFileSchema, doc);
  return file.epochs.map(({ inputs: x }, e): RootEpochInput => {
    const at = ['epochs', e, 'inputs'] as const;
    checkLength(x.weights.length, x.stake.length, [...at, 'weights'], `${x.stake.length} (one row per stake entry)`);
    checkRows(x.weights, [...at, 'weights'], null);
    const seen = new Map<number, number>();
    x.networks_added_iteration_order.forEach((netuid, i) => {
      const first = seen.get(netuid);
      if (first !== undefined) throw new VectorFormatError([...at, 'networks_added_iteration_order', i], `netuid ${netuid} appears twice (also at [${first}])`);
      seen.set(netuid, i);
    });
    const input: RootEpochInput = {
      stake: x.stake,
      weights: x.weights,
      networks: x.networks_added_iteration_order,
      blockEmission: x.block_emission,
      kappa: x.kappa_root,
      rho: x.rho_root,
    };
    backstop(() => validateRootInput(input), at);
    return input;
  });
}

/** Any vector file, dispatched on `kind`. */
export function parseVectorFile(doc: unknown): ParsedVectorFile {
  return readVectorKind(doc) === 'yuma' ? { kind: 'yuma', epochs: parseYumaVectorFile(doc) } : { kind: 'root', epochs: parseRootVectorFile(doc) };
}

// ---------------------------------------------------------------------------------------------
// Encoders
// ---------------------------------------------------------------------------------------------

/** A u64 in JSON: a number up to 2^53−1, a decimal string above. */
export type RaoJson = number | string;
export type SparseRowJson = Array<[number, number]>;

/** A Yuma epoch's outputs as the vectors record them (snake_case keys). */
export interface YumaOutputJson {
  rank: number[];
  trust: number[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  validator_trust: number[];
  pruning_scores: number[];
  stake_weight: number[];
  active: boolean[];
  validator_permit: boolean[];
  bonds: SparseRowJson[];
  emission: RaoJson[];
  server_emission: RaoJson[];
  validator_emission: RaoJson[];
}

/** A root epoch's outputs: `EmissionValues` per netuid (object keys are decimal netuids). */
export interface RootOutputJson {
  emission_values: Record<string, RaoJson>;
}

/** u64 → JSON: a number when |v| ≤ 2^53−1, else a decimal string. */
export function encodeRao(v: bigint): RaoJson {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
}

function encodeRows(rows: readonly SparseU16Row[]): SparseRowJson[] {
  return rows.map((row) => row.map(([dest, value]): [number, number] => [dest, value]));
}

function encodeMatrix(m: SparseU16Matrix): SparseRowJson[] {
  const out = new Array<SparseRowJson>(m.rowCount);
  for (let i = 0; i < m.rowCount; i++) {
    const row: SparseRowJson = [];
    for (let k = m.rowPtr[i]!; k < m.rowPtr[i + 1]!; k++) row.push([m.dest[k]!, m.value[k]!]);
    out[i] = row;
  }
  return out;
}

export function encodeYumaOutput(out: YumaEpochOutput): YumaOutputJson {
  return {
    rank: [...out.rank],
    trust: [...out.trust],
    consensus: [...out.consensus],
    incentive: [...out.incentive],
    dividends: [...out.dividends],
    validator_trust: [...out.validatorTrust],
    pruning_scores: [...out.pruningScores],
    stake_weight: [...out.stakeWeight],
    active: [...out.active],
    validator_permit: [...out.validatorPermit],
    bonds: encodeMatrix(out.bonds),
    emission: out.emission.map(encodeRao),
    server_emission: out.serverEmission.map(encodeRao),
    validator_emission: out.validatorEmission.map(encodeRao),
  };
}

/** `{emission_values: {"<netuid>": rao}}`; JSON objects order integer keys ascending, so netuids print sorted. */
export function encodeRootOutput(out: RootEpochOutput): RootOutputJson {
  const emission_values: Record<string, RaoJson> = {};
  for (const [netuid, rao] of out.emissionValues) emission_values[String(netuid)] = encodeRao(rao);
  return { emission_values };
}

/** The inputs of one Yuma epoch in the vector schema (the part of `epochs[].inputs` tensornet reads). */
export interface YumaInputsJson {
  block: number;
  n: number;
  stake: RaoJson[];
  weights: SparseRowJson[];
  bonds_before: SparseRowJson[];
  last_update: number[];
  block_at_registration: number[];
  validator_permit_before: boolean[];
  rao_emission: RaoJson;
}

export interface YumaVectorFileJson {
  kind: 'yuma';
  hyperparameters: {
    Kappa: number;
    BondsMovingAverage: RaoJson;
    ActivityCutoff: number;
    MaxAllowedValidators: number;
    LiquidAlphaOn: boolean;
    AlphaValues: [number, number];
  };
  epochs: Array<{ inputs: YumaInputsJson }>;
}

export interface RootInputsJson {
  stake: RaoJson[];
  weights: SparseRowJson[];
  networks_added_iteration_order: number[];
  block_emission: RaoJson;
  kappa_root: number;
  rho_root: number;
}

export interface RootVectorFileJson {
  kind: 'root';
  epochs: Array<{ inputs: RootInputsJson }>;
}

function sameHyperparameters(a: YumaHyperparameters, b: YumaHyperparameters): boolean {
  return (
    a.kappa === b.kappa &&
    a.bondsMovingAverage === b.bondsMovingAverage &&
    a.activityCutoff === b.activityCutoff &&
    a.maxAllowedValidators === b.maxAllowedValidators &&
    a.liquidAlphaEnabled === b.liquidAlphaEnabled &&
    a.alphaLow === b.alphaLow &&
    a.alphaHigh === b.alphaHigh
  );
}

/**
 * Yuma epoch inputs → a vector file that {@link parseYumaVectorFile} reads back to equal inputs
 * (for tools that generate scenarios). A file holds one set of hyperparameters, so every epoch must
 * share epoch 0's; an empty list writes the defaults.
 * @throws {VectorFormatError} at `epochs[i].hyperparameters` when an epoch's hyperparameters differ.
 */
export function encodeYumaVectorFile(epochs: readonly YumaEpochInput[]): YumaVectorFileJson {
  const hp = epochs[0]?.hyperparameters ?? DEFAULT_YUMA_HYPERPARAMETERS;
  epochs.forEach((x, e) => {
    if (!sameHyperparameters(x.hyperparameters, hp)) throw new VectorFormatError(['epochs', e, 'hyperparameters'], 'differ from epochs[0]; a vector file holds one set of hyperparameters');
  });
  return {
    kind: 'yuma',
    hyperparameters: {
      Kappa: hp.kappa,
      BondsMovingAverage: encodeRao(hp.bondsMovingAverage),
      ActivityCutoff: hp.activityCutoff,
      MaxAllowedValidators: hp.maxAllowedValidators,
      LiquidAlphaOn: hp.liquidAlphaEnabled,
      AlphaValues: [hp.alphaLow, hp.alphaHigh],
    },
    epochs: epochs.map((x) => ({
      inputs: {
        block: x.block,
        n: x.n,
        stake: x.stake.map(encodeRao),
        weights: encodeRows(x.weights),
        bonds_before: encodeRows(x.bonds),
        last_update: [...x.lastUpdate],
        block_at_registration: [...x.blockAtRegistration],
        validator_permit_before: [...x.validatorPermit],
        rao_emission: encodeRao(x.emission),
      },
    })),
  };
}

/** Root epoch inputs → a vector file that {@link parseRootVectorFile} reads back to equal inputs. */
export function encodeRootVectorFile(epochs: readonly RootEpochInput[]): RootVectorFileJson {
  return {
    kind: 'root',
    epochs: epochs.map((x) => ({
      inputs: {
        stake: x.stake.map(encodeRao),
        weights: encodeRows(x.weights),
        networks_added_iteration_order: [...x.networks],
        block_emission: encodeRao(x.blockEmission),
        kappa_root: x.kappa,
        rho_root: x.rho,
      },
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// JSON text
// ---------------------------------------------------------------------------------------------

export interface ToJsonTextOptions {
  /**
   * Print for humans: objects indented by two spaces, arrays of scalars (and arrays of scalar
   * pairs, such as sparse rows) kept on one line. The value is the same JSON either way.
   * @default false (one line)
   */
  readonly pretty?: boolean;
}

const raoReplacer = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? encodeRao(v) : v);

function isFlat(v: unknown): boolean {
  return v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'));
}

/** Indented JSON of a plain JSON value (no bigints, no toJSON). */
function prettyJson(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0 || v.every(isFlat)) return JSON.stringify(v);
    const inner = `${indent}  `;
    return `[\n${v.map((x) => inner + prettyJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${prettyJson(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** `JSON.stringify` that writes any `bigint` as {@link encodeRao} does (number ≤ 2^53−1, else string). */
export function toJsonText(value: unknown, options: ToJsonTextOptions = {}): string {
  const oneLine = JSON.stringify(value, raoReplacer);
  return options.pretty === true ? prettyJson(JSON.parse(oneLine) as unknown, '') : oneLine;
}
