/**
 * Reference engines the exact Yuma engine is checked and benchmarked against: the spec transcribed onto
 * BigInt (slow, obviously right) and plain float64 (fast, approximately right).
 */
export { topK, yumaEpochBigInt } from './yuma-bigint';
export { yumaEpochFloat64 } from './yuma-float64';
