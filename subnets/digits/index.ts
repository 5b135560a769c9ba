/** The `digits` subnet: handwritten digit classification (data, augmentation, trained tiers, the mechanism). */
export { augmentDigit, augmentDigitSet } from './augment';
export { DIGIT_CLASSES, IMAGE_SIDE, IMAGE_SIZE, loadDigits, type DigitSet, type DigitsData } from './data';
export { DigitsError, type DigitsErrorCode } from './errors';
export { evaluateDigitsModel, type DigitsEvaluation, type EvaluateDigitsOptions } from './evaluate';
export { DIGITS_MODEL_SPEC } from './export';
export { DigitClassification, DIGITS_MINER_TIERS, DIGITS_TIMEOUT_S, closeDigitsVerifiers, digitImage, digitsSubnet, predictsLabel, probabilitiesOf, type DigitsReference } from './subnet';
export { DIGITS_TIERS, digitsModelPath, digitsTier, isDigitsTier, type DigitsTier } from './tiers';
export { DEFAULT_DIGITS_SEED, trainDigitsModel, type TrainDigitsOptions, type TrainProgress } from './train';
