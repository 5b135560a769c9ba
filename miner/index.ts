/**
 * The miner: the axon (signed HTTP endpoint), the inference engine (ONNX) and the chain presence that
 * announces them.
 */
export * from './axon';
export { MetagraphCallers } from './callers';
export { MinerError, type MinerErrorCode } from './errors';
export { Miner, type MinerOptions } from './miner';
