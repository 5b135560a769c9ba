import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SparseU16Matrix } from '../../consensus/sparse';
import { DEFAULT_YUMA_HYPERPARAMETERS } from '../../consensus/types';
import type { RootEpochInput, YumaEpochInput, YumaEpochOutput } from '../../consensus/types';
import {
  encodeRao,
  encodeRootOutput,
  encodeRootVectorFile,
  encodeYumaOutput,
  encodeYumaVectorFile,
  formatJsonPath,
  parseJsonText,
  parseRootVectorFile,
  parseVectorFile,
  parseYumaVectorFile,
  readVectorKind,
  toJsonText,
  VectorFormatError,
} from '../../consensus/vector-format';
import { loadYumaVectors } from '../helpers/vectors';

const VECTORS_DIR = join(__dirname, '..', 'fixtures', 'vectors');
const U64_MAX = (1n << 64n) - 1n;

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(VECTORS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** A minimal valid yuma file: 3 uids, one validator weighting two miners. */
function smallYuma(): { kind: string; hyperparameters?: Record<string, unknown>; epochs: Array<{ inputs: Record<string, unknown> }> } {
  return {
    kind: 'yuma',
    epochs: [
      {
        inputs: {
          block: 30,
          n: 3,
          stake: [1000, 0, 0],
          weights: [[[1, 65535], [2, 32768]], [], []],
          bonds_before: [[], [], []],
          last_update: [20, 7, 7],
          block_at_registration: [7, 7, 7],
          validator_permit_before: [true, true, true],
          rao_emission: 1_000_000_000,
        },
      },
    ],
  };
}

function smallRoot(): { kind: string; epochs: Array<{ inputs: Record<string, unknown> }> } {
  return {
    kind: 'root',
    epochs: [
      {
        inputs: {
          stake: [1000, '2000'],
          weights: [[[1, 65535]], [[1, 1], [2, 65535]]],
          networks_added_iteration_order: [0, 1, 2],
          block_emission: 1_000_000_000,
          kappa_root: 32767,
          rho_root: 10,
        },
      },
    ],
  };
}

/** Runs `fn`, expects a VectorFormatError, returns it. */
function catchFormatError(fn: () => unknown): VectorFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VectorFormatError);
    return err as VectorFormatError;
  }
  throw new Error('expected a VectorFormatError');
}

describe('parseYumaVectorFile', () => {
  const yumaFiles = readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((name) => load(name).kind === 'yuma');

  test('default: every shipped yuma vector parses, one input per epoch', () => {
    expect(yumaFiles.length).toBeGreaterThanOrEqual(6);
    for (const name of yumaFiles) {
      const doc = load(name);
      const inputs = parseYumaVectorFile(doc);
      const epochs = doc.epochs as Array<{ inputs: { n: number; stake: number[]; rao_emission: number } }>;
      expect(inputs).toHaveLength(epochs.length);
      inputs.forEach((input, e) => {
        const raw = epochs[e]!.inputs;
        expect(input.n).toBe(raw.n);
        expect(input.stake).toEqual(raw.stake.map((s) => BigInt(s)));
        expect(input.emission).toBe(BigInt(raw.rao_emission));
        expect(input.hyperparameters).toEqual({ ...DEFAULT_YUMA_HYPERPARAMETERS, kappa: 32767, bondsMovingAverage: 900_000n, activityCutoff: 5000, maxAllowedValidators: 64 });
      });
    }
  });

  test('behavior: agrees with the independent loader in tests/helpers/vectors.ts', () => {
    for (const vector of loadYumaVectors()) {
      expect(parseYumaVectorFile(load(vector.name))).toEqual(vector.epochs.map((e) => e.input));
    }
  });

  test('behavior: field mapping (bonds_before → bonds, validator_permit_before → validatorPermit, rao_emission → emission)', () => {
    const [input] = parseYumaVectorFile(smallYuma());
    expect(input).toEqual<YumaEpochInput>({
      n: 3,
      block: 30,
      stake: [1000n, 0n, 0n],
      weights: [[[1, 65535], [2, 32768]], [], []],
      bonds: [[], [], []],
      lastUpdate: [20, 7, 7],
      blockAtRegistration: [7, 7, 7],
      validatorPermit: [true, true, true],
      emission: 1_000_000_000n,
      hyperparameters: DEFAULT_YUMA_HYPERPARAMETERS,
    });
  });

  test('behavior: fields outside the contract are ignored', () => {
    const doc = smallYuma();
    doc.epochs[0]!.inputs.active_before = 'anything';
    doc.epochs[0]!.inputs.pending_emission_before = { x: 1 };
    (doc as Record<string, unknown>).neurons = [{ uid: 0 }];
    expect(parseYumaVectorFile(doc)).toEqual(parseYumaVectorFile(smallYuma()));
  });

  test('args: hyperparameters given, others default', () => {
    const doc = smallYuma();
    doc.hyperparameters = { Kappa: 40000, BondsMovingAverage: '975000', Tempo: 99, AdjustmentAlpha: '17893341751498265066' };
    expect(parseYumaVectorFile(doc)[0]!.hyperparameters).toEqual({ ...DEFAULT_YUMA_HYPERPARAMETERS, kappa: 40000, bondsMovingAverage: 975_000n });
  });

  test('args: liquid alpha as AlphaValues or AlphaLow/AlphaHigh', () => {
    const a = smallYuma();
    a.hyperparameters = { LiquidAlphaOn: true, AlphaValues: [100, 60000] };
    expect(parseYumaVectorFile(a)[0]!.hyperparameters).toMatchObject({ liquidAlphaEnabled: true, alphaLow: 100, alphaHigh: 60000 });
    const b = smallYuma();
    b.hyperparameters = { LiquidAlphaOn: true, AlphaLow: 200 };
    expect(parseYumaVectorFile(b)[0]!.hyperparameters).toMatchObject({ liquidAlphaEnabled: true, alphaLow: 200, alphaHigh: DEFAULT_YUMA_HYPERPARAMETERS.alphaHigh });
  });

  test('behavior: u64 stake accepted as a decimal string up to 2^64−1', () => {
    const doc = smallYuma();
    doc.epochs[0]!.inputs.stake = ['18446744073709551615', '9007199254740993', 0];
    expect(parseYumaVectorFile(doc)[0]!.stake).toEqual([U64_MAX, 9007199254740993n, 0n]);
  });

  const errorCases: ReadonlyArray<[title: string, mutate: (doc: ReturnType<typeof smallYuma>) => void, message: string]> = [
    ['negative stake', (d) => void (d.epochs[0]!.inputs.stake = [1000, -5, 0]), 'epochs[0].inputs.stake[1]: must be a non-negative integer (got -5)'],
    ['non-integer stake', (d) => void (d.epochs[0]!.inputs.stake = [1000, 1.5, 0]), 'epochs[0].inputs.stake[1]: must be a non-negative integer (got 1.5)'],
    ['unsafe-integer stake', (d) => void (d.epochs[0]!.inputs.stake = [2 ** 60, 0, 0]), 'epochs[0].inputs.stake[0]: 1152921504606847000 is above 2^53−1; write larger u64 values as decimal strings'],
    ['stake string above u64', (d) => void (d.epochs[0]!.inputs.stake = ['18446744073709551616', 0, 0]), 'epochs[0].inputs.stake[0]: 18446744073709551616 is above the u64 maximum 18446744073709551615'],
    ['stake not a number', (d) => void (d.epochs[0]!.inputs.stake = ['12abc', 0, 0]), 'epochs[0].inputs.stake[0]: must be a non-negative integer or a decimal string (got "12abc")'],
    ['mismatched length', (d) => void (d.epochs[0]!.inputs.last_update = [20, 7]), 'epochs[0].inputs.last_update: has 2 entries, expected n = 3'],
    ['uid out of range', (d) => void (d.epochs[0]!.inputs.weights = [[[1, 65535], [12, 5]], [], []]), 'epochs[0].inputs.weights[0][1]: uid 12 out of range (n = 3)'],
    ['duplicate uid', (d) => void (d.epochs[0]!.inputs.bonds_before = [[], [[2, 1], [2, 3]], []]), 'epochs[0].inputs.bonds_before[1][1]: uid 2 appears twice in this row (also at [1][0])'],
    ['u16 out of range', (d) => void (d.epochs[0]!.inputs.weights = [[[1, 70000]], [], []]), 'epochs[0].inputs.weights[0][0][1]: must be an integer in [0, 65535] (got 70000)'],
    ['not a pair', (d) => void (d.epochs[0]!.inputs.weights = [[[1, 2, 3]], [], []]), 'epochs[0].inputs.weights[0][0]: must be a [uid, value] pair (got an array)'],
    ['missing field', (d) => void delete d.epochs[0]!.inputs.rao_emission, 'epochs[0].inputs.rao_emission: required'],
    ['wrong type', (d) => void (d.epochs[0]!.inputs.validator_permit_before = [true, 1, true]), 'epochs[0].inputs.validator_permit_before[1]: must be true or false (got 1)'],
    ['negative block', (d) => void (d.epochs[0]!.inputs.block = -1), 'epochs[0].inputs.block: must be a non-negative integer block number (got -1)'],
    ['epochs not an array', (d) => void ((d as Record<string, unknown>).epochs = {}), 'epochs: must be an array (got an object)'],
    ['hyperparameter out of range', (d) => void (d.hyperparameters = { Kappa: 65536 }), 'hyperparameters.Kappa: must be an integer in [0, 65535] (got 65536)'],
    ['AlphaValues with AlphaLow', (d) => void (d.hyperparameters = { AlphaValues: [1, 60000], AlphaLow: 5 }), 'hyperparameters.AlphaValues: give either AlphaValues or AlphaLow/AlphaHigh, not both'],
    ['AlphaValues not a pair', (d) => void (d.hyperparameters = { AlphaValues: [1] }), 'hyperparameters.AlphaValues: must be [alpha_low, alpha_high] (got 1 values)'],
    ['wrong kind', (d) => void (d.kind = 'root'), 'kind: must be "yuma" (got "root")'],
  ];

  test.each(errorCases)('error: %s', (_title, mutate, message) => {
    const doc = smallYuma();
    mutate(doc);
    const err = catchFormatError(() => parseYumaVectorFile(doc));
    expect(err.message).toBe(message);
    expect(err.code).toBe('InvalidVectorFile');
    expect(VectorFormatError.code).toBe('InvalidVectorFile');
    expect(formatJsonPath(err.path)).toBe(message.slice(0, message.indexOf(': ')));
    expect(err.details).toEqual({ path: [...err.path], reason: err.reason });
  });

  test('error: path names the failing epoch', () => {
    const doc = smallYuma();
    doc.epochs.push(structuredClone(doc.epochs[0]!));
    doc.epochs[1]!.inputs.n = 4;
    const err = catchFormatError(() => parseYumaVectorFile(doc));
    expect(err.path).toEqual(['epochs', 1, 'inputs', 'stake']);
    expect(err.message).toBe('epochs[1].inputs.stake: has 3 entries, expected n = 4');
  });
});

describe('parseRootVectorFile', () => {
  test('default: the shipped root vector parses', () => {
    const inputs = parseRootVectorFile(load('root_weighted_3subnets'));
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toEqual<RootEpochInput>({
      stake: [1_000_000_000_000n, 2_000_000_000_000n, 3_000_000_000_000n, 4_000_000_000_000n],
      weights: [[[1, 65535], [2, 65535], [3, 65535]], [[1, 65535], [2, 21845]], [[2, 32768], [3, 65535]], [[1, 21845], [2, 43690], [3, 65535]]],
      networks: [0, 1, 2, 3],
      blockEmission: 1_000_000_000n,
      kappa: 32767,
      rho: 10,
    });
  });

  test('behavior: weight rows may name netuids outside the network list', () => {
    const doc = smallRoot();
    doc.epochs[0]!.inputs.weights = [[[9, 65535]], []];
    expect(parseRootVectorFile(doc)[0]!.weights).toEqual([[[9, 65535]], []]);
  });

  const errorCases: ReadonlyArray<[title: string, mutate: (doc: ReturnType<typeof smallRoot>) => void, message: string]> = [
    ['mismatched length', (d) => void (d.epochs[0]!.inputs.weights = [[]]), 'epochs[0].inputs.weights: has 1 entries, expected 2 (one row per stake entry)'],
    ['duplicate netuid in a row', (d) => void (d.epochs[0]!.inputs.weights = [[[1, 1], [1, 2]], []]), 'epochs[0].inputs.weights[0][1]: uid 1 appears twice in this row (also at [0][0])'],
    ['duplicate network', (d) => void (d.epochs[0]!.inputs.networks_added_iteration_order = [0, 1, 1]), 'epochs[0].inputs.networks_added_iteration_order[2]: netuid 1 appears twice (also at [1])'],
    ['negative block emission', (d) => void (d.epochs[0]!.inputs.block_emission = -1), 'epochs[0].inputs.block_emission: must be a non-negative integer (got -1)'],
    ['rho out of range', (d) => void (d.epochs[0]!.inputs.rho_root = 1e6), 'epochs[0].inputs.rho_root: must be an integer in [0, 65535] (got 1000000)'],
  ];

  test.each(errorCases)('error: %s', (_title, mutate, message) => {
    const doc = smallRoot();
    mutate(doc);
    expect(catchFormatError(() => parseRootVectorFile(doc)).message).toBe(message);
  });
});

describe('parseVectorFile / readVectorKind / parseJsonText', () => {
  test('default: dispatches on kind', () => {
    expect(parseVectorFile(smallYuma()).kind).toBe('yuma');
    expect(parseVectorFile(smallRoot()).kind).toBe('root');
  });

  test('error: unknown kind', () => {
    expect(catchFormatError(() => readVectorKind({ kind: 'foo' })).message).toBe('kind: must be "yuma" or "root" (got "foo")');
    expect(catchFormatError(() => readVectorKind({})).message).toBe('kind: required');
    expect(catchFormatError(() => readVectorKind([1])).message).toBe('the document must be an object (got an array)');
  });

  test('error: bad JSON text', () => {
    const err = catchFormatError(() => parseJsonText('{"kind": '));
    expect(err.path).toEqual([]);
    expect(err.message).toMatch(/^invalid JSON: /);
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('encoders', () => {
  test('encodeRao: a number up to 2^53−1, a decimal string above', () => {
    expect(encodeRao(0n)).toBe(0);
    expect(encodeRao(9007199254740991n)).toBe(9007199254740991);
    expect(encodeRao(9007199254740992n)).toBe('9007199254740992');
    expect(encodeRao(U64_MAX)).toBe('18446744073709551615');
  });

  test('toJsonText: bigints anywhere follow encodeRao; pretty indents', () => {
    expect(toJsonText({ a: [1n, 2n ** 60n], b: { c: U64_MAX } })).toBe('{"a":[1,"1152921504606846976"],"b":{"c":"18446744073709551615"}}');
    expect(toJsonText({ a: 1n }, { pretty: true })).toBe('{\n  "a": 1\n}');
    const value = { epochs: [{ outputs: { rank: [0, 1], bonds: [[[1, 2], [3, 4]], []], empty: {} } }] };
    const pretty = toJsonText(value, { pretty: true });
    expect(pretty).toBe(
      ['{', '  "epochs": [', '    {', '      "outputs": {', '        "rank": [0,1],', '        "bonds": [', '          [[1,2],[3,4]],', '          []', '        ],', '        "empty": {}', '      }', '    }', '  ]', '}'].join('\n'),
    );
    expect(JSON.parse(pretty)).toEqual(value);
  });

  test('encodeYumaOutput: snake_case keys, u16/bool arrays, sparse rows, rao', () => {
    const out: YumaEpochOutput = {
      rank: [0, 65535],
      trust: [1, 2],
      consensus: [3, 4],
      incentive: [5, 6],
      dividends: [7, 8],
      validatorTrust: [9, 10],
      pruningScores: [11, 12],
      stakeWeight: [13, 14],
      active: [true, false],
      validatorPermit: [false, true],
      bonds: SparseU16Matrix.fromRows([[[1, 65535]], []]),
      emission: [2n ** 53n, 5n],
      serverEmission: [0n, 5n],
      validatorEmission: [2n ** 53n, 0n],
    };
    expect(encodeYumaOutput(out)).toEqual({
      rank: [0, 65535],
      trust: [1, 2],
      consensus: [3, 4],
      incentive: [5, 6],
      dividends: [7, 8],
      validator_trust: [9, 10],
      pruning_scores: [11, 12],
      stake_weight: [13, 14],
      active: [true, false],
      validator_permit: [false, true],
      bonds: [[[1, 65535]], []],
      emission: ['9007199254740992', 5],
      server_emission: [0, 5],
      validator_emission: ['9007199254740992', 0],
    });
  });

  test('encodeRootOutput: netuid keys, rao values', () => {
    const json = encodeRootOutput({ emissionValues: [[3, 5n], [0, 0n], [1, U64_MAX]] });
    expect(json).toEqual({ emission_values: { '0': 0, '1': '18446744073709551615', '3': 5 } });
    expect(JSON.stringify(json)).toBe('{"emission_values":{"0":0,"1":"18446744073709551615","3":5}}');
  });
});

describe('round trip', () => {
  test('behavior: every shipped vector → inputs → file JSON text → equal inputs', () => {
    for (const file of readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json'))) {
      const parsed = parseVectorFile(load(file.replace(/\.json$/, '')));
      const encoded = parsed.kind === 'yuma' ? encodeYumaVectorFile(parsed.epochs) : encodeRootVectorFile(parsed.epochs);
      expect(parseVectorFile(parseJsonText(toJsonText(encoded)))).toEqual(parsed);
    }
  });

  test('behavior: u64 values above 2^53 survive as strings', () => {
    const [input] = parseYumaVectorFile(smallYuma());
    const big: YumaEpochInput = { ...input!, stake: [U64_MAX, 2n ** 53n + 1n, 0n], emission: 2n ** 62n, hyperparameters: { ...input!.hyperparameters, bondsMovingAverage: 2n ** 54n } };
    const text = toJsonText(encodeYumaVectorFile([big]));
    expect(text).toContain('"stake":["18446744073709551615","9007199254740993",0]');
    expect(text).toContain('"rao_emission":"4611686018427387904"');
    expect(parseYumaVectorFile(parseJsonText(text))).toEqual([big]);
  });

  test('behavior: any u64 round-trips through encodeRao (seeded property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (v) => {
        const doc = smallRoot();
        doc.epochs[0]!.inputs.block_emission = JSON.parse(JSON.stringify(encodeRao(v))) as unknown;
        return parseRootVectorFile(doc)[0]!.blockEmission === v;
      }),
      { seed: 20240301, numRuns: 500 },
    );
  });

  test('error: encodeYumaVectorFile refuses epochs with different hyperparameters', () => {
    const [input] = parseYumaVectorFile(smallYuma());
    const other: YumaEpochInput = { ...input!, hyperparameters: { ...input!.hyperparameters, kappa: 1 } };
    expect(catchFormatError(() => encodeYumaVectorFile([input!, other])).path).toEqual(['epochs', 1, 'hyperparameters']);
  });
});
