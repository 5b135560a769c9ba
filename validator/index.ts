/**
 * The validator: the dendrite that queries miners, the scoring loop over a subnet's tasks, and weight setting.
 */
export * from './dendrite';
export { ValidatorError, type ValidatorErrorCode } from './errors';
export { ScoreTable } from './scores';
export { Validator, type StepReport, type ValidatorEvents, type ValidatorOptions, type WeightsReport } from './validator';
export * from './api';
