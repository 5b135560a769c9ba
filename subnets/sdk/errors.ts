import { TensornetError } from '../../common/errors';

/**
 * - `InvalidSubnetDefinition`: `defineSubnet` was given an unusable definition (name, version, timeout, hyperparameters, verification fraction…).
 * - `InvalidTaskSeed`: a task seed that is not 64 hex digits.
 * - `TaskSeedReused`: a seed this task source already issued (tasks are never reused).
 * - `InvalidReward`: the subnet's `reward` returned the wrong number of scores, or one outside [0, 1] / not finite.
 * - `UnknownMechanism`: no built-in mechanism has that name and no module exists at that path.
 * - `InvalidMechanismModule`: a module that does not export a subnet made by `defineSubnet`.
 * - `InvalidStream`: a streamed answer that cannot be used: a chunk that is not a JSON line, fails the chunk schema or
 *   exceeds a limit, or chunks that do not assemble into a valid response.
 */
export type SubnetErrorCode = 'InvalidSubnetDefinition' | 'InvalidTaskSeed' | 'TaskSeedReused' | 'InvalidReward' | 'UnknownMechanism' | 'InvalidMechanismModule' | 'InvalidStream';

/** An error of the subnet SDK. */
export class SubnetError extends TensornetError<SubnetErrorCode> {}
