/**
 * Root epoch (spec §4.1): the upstream root tests (TV7, mock ρ = 30) and the chain-recorded
 * `root_weighted_3subnets` vector (spec rule: row-normalized root weights).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsensusError } from '../../consensus/errors';
import { FixedPointError } from '../../consensus/fixed/transcendental';
import { rootEpoch } from '../../consensus/root';
import type { RootEpochInput, SparseU16Row } from '../../consensus/types';

const BE = 1_000_000_000n;

function input(overrides: Partial<RootEpochInput> & Pick<RootEpochInput, 'stake' | 'weights' | 'networks'>): RootEpochInput {
  return { blockEmission: BE, kappa: 32767, rho: 30, ...overrides };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function emissionMap(out: ReturnType<typeof rootEpoch>): Map<number, bigint> {
  return new Map(out.emissionValues);
}

interface RootVectorEpoch {
  inputs: {
    stake: number[];
    weights: Array<Array<[number, number]>>;
    networks_added_iteration_order: number[];
    block_emission: number;
    kappa_root: number;
    rho_root: number;
  };
  outputs: { emission_values: Record<string, number> };
}

function loadRootVector(): RootVectorEpoch[] {
  const path = join(__dirname, '..', 'fixtures', 'vectors', 'root_weighted_3subnets.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { epochs: RootVectorEpoch[] }).epochs;
}

describe('rootEpoch', () => {
  test('default: test_root_set_weights (validator i weights only netuid i)', () => {
    const out = rootEpoch(
      input({
        stake: new Array<bigint>(10).fill(1000n),
        weights: range(10).map((i): SparseU16Row => [[i, 65535]]),
        networks: range(10),
      }),
    );
    expect(out.emissionValues.map(([netuid]) => netuid)).toEqual(range(10));
    for (let netuid = 1; netuid <= 9; netuid++) expect(emissionMap(out).get(netuid)).toBe(99_999_999n);
  });

  test('behavior: test_network_pruning (validator i weights netuids 0..i−1 with 1)', () => {
    const out = rootEpoch(
      input({
        stake: new Array<bigint>(10).fill(1000n),
        weights: range(10).map((i): SparseU16Row => range(i).map((netuid) => [netuid, 1] as const)),
        networks: range(11),
      }),
    );
    expect(out.emissionValues).toEqual([
      [0, 385_861_815n],
      [1, 249_435_914n],
      [2, 180_819_837n],
      [3, 129_362_980n],
      [4, 50_857_187n],
      [5, 3_530_356n],
      [6, 127_839n],
      [7, 3_974n],
      [8, 93n],
      [9, 0n],
      [10, 0n],
    ]);
  });

  test.each(loadRootVector().map((epoch, e) => [e + 1, epoch] as const))('behavior: root_weighted_3subnets epoch %i', (_e, epoch) => {
    const i = epoch.inputs;
    const out = rootEpoch({
      stake: i.stake.map(BigInt),
      weights: i.weights,
      networks: i.networks_added_iteration_order,
      blockEmission: BigInt(i.block_emission),
      kappa: i.kappa_root,
      rho: i.rho_root,
    });
    const expected = Object.entries(epoch.outputs.emission_values).map(([netuid, rao]) => [Number(netuid), BigInt(rao)] as const);
    expect(out.emissionValues).toEqual(expected);
  });

  test('behavior: weights naming netuids outside networks are ignored; output follows input order', () => {
    const base = input({ stake: [1n, 3n], weights: [[[2, 100]], [[1, 50], [2, 50]]], networks: [2, 1] });
    const withStale = { ...base, weights: [[[2, 100], [7, 65535]], [[1, 50], [2, 50], [9, 1]]] satisfies SparseU16Row[] };
    const out = rootEpoch(withStale);
    expect(out).toEqual(rootEpoch(base));
    expect(out.emissionValues.map(([netuid]) => netuid)).toEqual([2, 1]);
  });

  test('behavior: weights are row-normalized (scaling a row changes nothing)', () => {
    const a = rootEpoch(input({ stake: [5n, 7n], weights: [[[1, 1], [2, 3]], [[2, 9]]], networks: [0, 1, 2] }));
    const b = rootEpoch(input({ stake: [5n, 7n], weights: [[[1, 20000], [2, 60000]], [[2, 65535]]], networks: [0, 1, 2] }));
    expect(b).toEqual(a);
  });

  test('behavior: no weights at all emits nothing', () => {
    const out = rootEpoch(input({ stake: [1n, 2n], weights: [[], []], networks: [0, 1] }));
    expect(out.emissionValues).toEqual([
      [0, 0n],
      [1, 0n],
    ]);
  });

  test('error: no root validators aborts with NoRootValidators', () => {
    expect(() => rootEpoch(input({ stake: [], weights: [], networks: [0, 1] }))).toThrow(
      expect.objectContaining({ code: 'NoRootValidators' }) as Error,
    );
  });

  test('error: no networks aborts with NoNetworks', () => {
    expect(() => rootEpoch(input({ stake: [1n], weights: [[]], networks: [] }))).toThrow(expect.objectContaining({ code: 'NoNetworks' }) as Error);
  });

  test('error: zero total stake aborts with ZeroRootStake', () => {
    const run = (): unknown => rootEpoch(input({ stake: [0n, 0n], weights: [[[1, 1]], []], networks: [0, 1] }));
    expect(run).toThrow(ConsensusError);
    expect(run).toThrow(expect.objectContaining({ code: 'ZeroRootStake' }) as Error);
  });

  test('error: invalid input is refused before computing', () => {
    expect(() => rootEpoch(input({ stake: [1n], weights: [], networks: [0] }))).toThrow(
      expect.objectContaining({ code: 'VectorLengthMismatch' }) as Error,
    );
    expect(() => rootEpoch(input({ stake: [1n], weights: [[[1, 70000]]], networks: [0, 1] }))).toThrow(
      expect.objectContaining({ code: 'InvalidU16' }) as Error,
    );
  });

  test('error: a steepness whose exp overflows I64F64 (ρ ≥ 86) fails like the chain, with a typed error', () => {
    expect(() => rootEpoch(input({ stake: [1n], weights: [[]], networks: [0, 1], rho: 85 }))).not.toThrow();
    expect(() => rootEpoch(input({ stake: [1n], weights: [[]], networks: [0, 1], rho: 86 }))).toThrow(FixedPointError);
  });
});
