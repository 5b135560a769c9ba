import { TensornetError } from '../../common/errors';

/**
 * Machine-readable codes of the digits subnet's data and model errors:
 * - `DataUnavailable`: the `mnist` package's digit files are missing or malformed (`details.file`).
 * - `UnknownTier`: a model tier that is not one of `DIGITS_TIERS` (`details.tier`, `details.known`).
 * - `InvalidOptions`: a training or evaluation option out of range (`details.option`).
 * - `InvalidImage`: an image that is not 784 finite floats (`details.length`).
 * - `InvalidModel`: a model whose output is not `probabilities` float32 [N, 10] (`details.reason`).
 */
export type DigitsErrorCode = 'DataUnavailable' | 'UnknownTier' | 'InvalidOptions' | 'InvalidImage' | 'InvalidModel';

/** An error of the digits subnet's data, training or evaluation; branch on `code`. */
export class DigitsError extends TensornetError<DigitsErrorCode> {}
