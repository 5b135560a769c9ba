/**
 * Miner handlers by subnet name. The built-in ones are registered by `createHandlerRegistry()`; a subnet
 * module adds its own with `register`.
 */
import type { Axon } from '../axon';
import { HandlerError } from './errors';
import type { HandlerContext, MinerHandler } from './handler';

const SUBNET_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export class HandlerRegistry {
  private readonly handlers = new Map<string, MinerHandler>();

  constructor(handlers: Iterable<MinerHandler> = []) {
    for (const handler of handlers) this.register(handler);
  }

  /** Adds a handler. @throws HandlerError `DuplicateSubnet`, `InvalidHandler` */
  register(handler: MinerHandler): this {
    if (!SUBNET_NAME.test(handler.subnet)) {
      throw new HandlerError('InvalidHandler', `subnet name "${handler.subnet}" must be 1-32 lowercase letters, digits or dashes, starting with a letter`, { subnet: handler.subnet });
    }
    if (this.handlers.has(handler.subnet)) throw new HandlerError('DuplicateSubnet', `a handler for subnet "${handler.subnet}" is already registered`, { subnet: handler.subnet });
    if (handler.synapses.length === 0) throw new HandlerError('InvalidHandler', `the handler for subnet "${handler.subnet}" declares no synapse`, { subnet: handler.subnet });
    if (handler.model === 'none' && handler.modelSpec !== undefined) {
      throw new HandlerError('InvalidHandler', `the handler for subnet "${handler.subnet}" declares a model spec but runs no model`, { subnet: handler.subnet });
    }
    this.handlers.set(handler.subnet, handler);
    return this;
  }

  /** Registered subnet names, sorted. */
  get subnets(): readonly string[] {
    return [...this.handlers.keys()].sort();
  }

  has(subnet: string): boolean {
    return this.handlers.has(subnet);
  }

  /** The handler of `subnet`. @throws HandlerError `UnknownSubnet` (the message lists the known names) */
  get(subnet: string): MinerHandler {
    const handler = this.handlers.get(subnet);
    if (handler === undefined) {
      const known = this.subnets;
      throw new HandlerError('UnknownSubnet', `unknown subnet "${subnet}" (known: ${known.join(', ') || 'none'})`, { subnet, known });
    }
    return handler;
  }
}

/**
 * The tier a miner runs: `requested`, or the handler's first; null for a handler without tiers.
 * @throws HandlerError `UnknownTier`
 */
export function chooseTier(handler: MinerHandler, requested: string | undefined): string | null {
  const tiers = Object.keys(handler.tiers ?? {});
  if (tiers.length === 0) {
    if (requested !== undefined) throw new HandlerError('UnknownTier', `subnet "${handler.subnet}" has no tiers: leave --tier out`, { subnet: handler.subnet, tier: requested });
    return null;
  }
  if (requested === undefined) return tiers[0]!;
  if (!tiers.includes(requested)) throw new HandlerError('UnknownTier', `subnet "${handler.subnet}" has no tier "${requested}" (tiers: ${tiers.join(', ')})`, { subnet: handler.subnet, tier: requested, known: tiers });
  return requested;
}

/** The model a miner loads: `--model`, else its tier's committed model, else none. */
export function chooseModel(handler: MinerHandler, tier: string | null, model: string | undefined): string | undefined {
  if (model !== undefined) return model;
  return tier === null ? undefined : handler.tiers?.[tier]?.model?.();
}

/**
 * Checks that a model was given exactly when the handler uses one.
 * @throws HandlerError `ModelRequired`, `ModelNotUsed`
 */
export function checkModelChoice(handler: MinerHandler, modelGiven: boolean): void {
  if (handler.model === 'required' && !modelGiven) {
    throw new HandlerError('ModelRequired', `subnet "${handler.subnet}" runs a model: pass --model PATH (an .onnx file)`, { subnet: handler.subnet });
  }
  if (handler.model === 'none' && modelGiven) {
    throw new HandlerError('ModelNotUsed', `subnet "${handler.subnet}" runs no model: leave --model out`, { subnet: handler.subnet });
  }
}

/**
 * Attaches a handler to the axon and checks it served what it declares (its synapses, and no others).
 * @throws HandlerError `ModelRequired`, `InvalidHandler`
 */
export function attachHandler(handler: MinerHandler, axon: Axon, context: HandlerContext): void {
  if (handler.model === 'required' && context.engine === null) checkModelChoice(handler, false);
  const before = new Set(axon.synapses);
  handler.attach(axon, context);
  const added = axon.synapses.filter((name) => !before.has(name)).sort();
  const declared = handler.synapses.map((s) => s.name).sort();
  if (added.join(',') !== declared.join(',')) {
    throw new HandlerError('InvalidHandler', `the handler for subnet "${handler.subnet}" declares synapses [${declared.join(', ')}] but attached [${added.join(', ')}]`, { subnet: handler.subnet, declared, attached: added });
  }
}
