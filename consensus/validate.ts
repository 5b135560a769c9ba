import { ConsensusError } from './errors';
import type { RootEpochInput, SparseU16Row, YumaEpochInput } from './types';

const U16_MAX = 65535;
const U64_MAX = (1n << 64n) - 1n;

function checkLength(name: string, actual: number, n: number): void {
  if (actual !== n) {
    throw new ConsensusError('VectorLengthMismatch', `${name} has ${actual} entries, expected n = ${n}`, { field: name, actual, expected: n });
  }
}

export function assertU16(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > U16_MAX) {
    throw new ConsensusError('InvalidU16', `${name} must be an integer in [0, 65535], got ${v}`, { field: name, value: v });
  }
}

export function assertU64(name: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) {
    throw new ConsensusError('InvalidU64', `${name} must be an integer in [0, 2^64), got ${String(v)}`, { field: name, value: String(v) });
  }
}

function assertBlock(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new ConsensusError('InvalidBlock', `${name} must be a non-negative safe integer, got ${v}`, { field: name, value: v });
  }
}

function checkSparseRows(name: string, rows: readonly SparseU16Row[], bound: number): void {
  // lastSeenRow[dest] = 1 + the last row that named dest: a duplicate check without a Set per row.
  const lastSeenRow = new Int32Array(bound);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let k = 0; k < row.length; k++) {
      const dest = row[k]![0];
      const value = row[k]![1];
      if (!Number.isInteger(dest) || dest < 0 || dest >= bound) {
        throw new ConsensusError('UidOutOfRange', `${name}[${i}] names ${dest}, outside [0, ${bound})`, { field: name, row: i, dest });
      }
      if (lastSeenRow[dest] === i + 1) {
        throw new ConsensusError('DuplicateUid', `${name}[${i}] names ${dest} twice`, { field: name, row: i, dest });
      }
      lastSeenRow[dest] = i + 1;
      if (!Number.isInteger(value) || value < 0 || value > U16_MAX) assertU16(`${name}[${i}][${dest}]`, value);
    }
  }
}

/** Throws a `ConsensusError` naming the first problem with a Yuma epoch input. */
export function validateYumaInput(input: YumaEpochInput): void {
  const { n } = input;
  if (!Number.isInteger(n) || n < 0 || n > U16_MAX) {
    throw new ConsensusError('InvalidU16', `n must be an integer in [0, 65535], got ${n}`, { field: 'n', value: n });
  }
  assertBlock('block', input.block);
  checkLength('stake', input.stake.length, n);
  checkLength('weights', input.weights.length, n);
  checkLength('bonds', input.bonds.length, n);
  checkLength('last_update', input.lastUpdate.length, n);
  checkLength('block_at_registration', input.blockAtRegistration.length, n);
  checkLength('validator_permit', input.validatorPermit.length, n);
  input.stake.forEach((s, i) => assertU64(`stake[${i}]`, s));
  input.lastUpdate.forEach((b, i) => assertBlock(`last_update[${i}]`, b));
  input.blockAtRegistration.forEach((b, i) => assertBlock(`block_at_registration[${i}]`, b));
  checkSparseRows('weights', input.weights, n);
  checkSparseRows('bonds', input.bonds, n);
  assertU64('emission', input.emission);
  const hp = input.hyperparameters;
  assertU16('kappa', hp.kappa);
  assertU16('activity_cutoff', hp.activityCutoff);
  assertU16('max_allowed_validators', hp.maxAllowedValidators);
  assertU16('alpha_low', hp.alphaLow);
  assertU16('alpha_high', hp.alphaHigh);
  assertU64('bonds_moving_average', hp.bondsMovingAverage);
}

/** Throws a `ConsensusError` naming the first problem with a root epoch input. */
export function validateRootInput(input: RootEpochInput): void {
  checkLength('weights', input.weights.length, input.stake.length);
  input.stake.forEach((s, i) => assertU64(`stake[${i}]`, s));
  const seen = new Set<number>();
  input.networks.forEach((netuid, i) => {
    assertU16(`networks[${i}]`, netuid);
    if (seen.has(netuid)) throw new ConsensusError('DuplicateUid', `networks lists netuid ${netuid} twice`, { field: 'networks', netuid });
    seen.add(netuid);
  });
  // Root weight rows may name netuids that no longer exist (the chain ignores them), so only the u16 range is checked.
  checkSparseRows('weights', input.weights, U16_MAX + 1);
  assertU64('block_emission', input.blockEmission);
  assertU16('kappa', input.kappa);
  assertU16('rho', input.rho);
}
