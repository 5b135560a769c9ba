/**
 * The incentive-mechanism SDK: `defineSubnet` declares a subnet (synapse, task generator, reward, miner
 * handler, hyperparameters); `SubnetJudge` runs its validator side with the anti-gaming rules (fresh task
 * seeds, copy detection, optimistic verification); `minerHandlerOf` runs its miner side on the axon.
 */
export { CopyDetector, type CopyDetectorOptions, type CopyMark, type CopyObservation } from './copy-detector';
export {
  defineSubnet, isSubnet, parseResponse,
  type AnswerStatus, type AnySubnet, type CopyDetectionSpec, type GeneratedTask, type MinerAnswer, type MinerSetup, type MinerTier, type RequestHandler,
  type RewardContext, type Subnet, type SubnetSpec, type SubnetTask, type TaskContext, type VerificationSpec,
} from './define';
export { SubnetError, type SubnetErrorCode } from './errors';
export { SubnetJudge, taskFromSeed, type RawAnswer, type ScoredAnswer, type SubnetJudgeOptions } from './judge';
export { latencyFactor } from './latency';
export { minerHandlerOf } from './miner-handler';
export { TaskSeeds, checkTaskSeed, newTaskSeed, rngFromSeed, type TaskSeed } from './seed';
export { Verifier, type VerificationOutcome, type VerifierOptions } from './verifier';
