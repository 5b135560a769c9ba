/**
 * What a miner serves on a subnet: a handler attaches its synapses to the axon and, when it needs a
 * model, runs them through the inference engine. The CLI picks one by subnet name (`--subnet NAME`).
 */
import type { Logger } from '../../common/logger';
import type { SynapseDefinition } from '../../protocol';
import type { Axon } from '../axon';
import type { InferenceEngine, ModelSpec } from '../engine';

/** Whether a handler runs a model (`--model`). */
export type ModelRequirement = 'required' | 'optional' | 'none';

/** A quality tier a handler offers (`--tier`): a committed model and/or a way of running it. */
export interface HandlerTier {
  readonly description: string;
  /** The tier's model file (absolute path); `--model` overrides it. */
  model?(): string;
}

/** What a handler gets when it is attached. */
export interface HandlerContext {
  /** The tier chosen (`--tier`, or the handler's first); null for handlers without tiers. */
  readonly tier?: string | null;
  /** The loaded model: present when the handler's `model` is `required`, or `optional` and a model was given; null otherwise. */
  readonly engine: InferenceEngine | null;
  /** The handler's own child logger. */
  readonly logger: Logger;
}

/**
 * A miner handler for one subnet. `attach` must attach exactly `synapses` (checked by {@link attachHandler}),
 * and should turn a request the model cannot take into an `AxonRefusal` (see `runModel`), not a 500.
 */
export interface MinerHandler {
  /** The subnet name (`--subnet`): lowercase letters, digits and dashes. */
  readonly subnet: string;
  /** One line for `--help` and error messages. */
  readonly description: string;
  /** The synapses `attach` serves. */
  readonly synapses: readonly SynapseDefinition[];
  /** Whether `--model` is required, optional or not used. */
  readonly model: ModelRequirement;
  /** The inputs and outputs the model must have (checked at load and at every hot reload); absent: any model. */
  readonly modelSpec?: ModelSpec;
  /** Quality tiers (`--tier NAME`), the first being the default; absent: the handler has none. */
  readonly tiers?: Readonly<Record<string, HandlerTier>>;
  /** Attaches the synapses to the axon (before it starts). */
  attach(axon: Axon, context: HandlerContext): void;
}
