/**
 * The incentive-mechanism SDK: `defineSubnet` declares a subnet (synapse, task generator, reward, miner
 * handler, hyperparameters); `SubnetJudge` runs its validator side with the anti-gaming rules (fresh task
 * seeds, copy detection, optimistic verification); `minerHandlerOf` runs its miner side on the axon.
 * `defineStreamingSubnet` declares a subnet whose miners stream their answer as chunks (`stream.ts`).
 */
export { CopyDetector, type CopyDetectorOptions, type CopyMark, type CopyObservation } from './copy-detector';
export {
  DEFAULT_MAX_CHUNK_BYTES, DEFAULT_MAX_CHUNKS, defineStreamingSubnet, defineSubnet, isStreamingSubnet, isSubnet, parseResponse,
  type AnswerStatus, type AnySubnet, type CopyDetectionSpec, type GeneratedTask, type MinerAnswer, type MinerSetup, type MinerSpecBase, type MinerTier, type RequestHandler,
  type RewardContext, type StreamHandler, type StreamingSubnet, type StreamingSubnetSpec, type StreamSpec, type Subnet, type SubnetSpec, type SubnetSpecBase, type SubnetTask,
  type TaskContext, type VerificationSpec,
} from './define';
export { SubnetError, type SubnetErrorCode } from './errors';
export { SubnetJudge, taskFromSeed, type RawAnswer, type ScoredAnswer, type SubnetJudgeOptions } from './judge';
export { latencyFactor } from './latency';
export { minerHandlerOf } from './miner-handler';
export { assembleAnswer, chunkDecoder, encodeChunk, streamReaderOf, type ChunkDecoder } from './stream';
export { TaskSeeds, checkTaskSeed, newTaskSeed, rngFromSeed, type TaskSeed } from './seed';
export { Verifier, type VerificationOutcome, type VerifierOptions } from './verifier';
