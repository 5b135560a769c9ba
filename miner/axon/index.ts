/**
 * The axon: the miner's signed HTTP endpoint, its caller policy, nonce store and priority scheduler.
 */
export {
  Axon, DEFAULT_AXON_PORT, DEFAULT_MAX_BODY_BYTES,
  type AxonMetrics, type AxonOptions, type CallerDirectory, type CallerInfo, type CallerPolicy, type Forward, type ForwardContext, type StreamForward,
} from './axon';
export { AXON_REFUSALS, AxonRefusal, type AxonRefusalCode } from './refusals';
export { DEFAULT_NONCE_MAX_AGE_MS, DEFAULT_NONCE_MAX_FUTURE_MS, NonceStore, type NonceStoreOptions, type NonceVerdict } from './nonce-store';
export { AdmissionRefused, PriorityScheduler, type AdmissionRequest, type SchedulerOptions, type Slot } from './scheduler';
export { authenticate, type AuthContext, type Authenticated } from './auth';
