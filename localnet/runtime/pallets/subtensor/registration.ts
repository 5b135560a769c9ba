/** Neuron registration (spec §6): burned_register, PoW register, and the burn/difficulty retarget. */
import type { RuntimeContext } from '../../context';
import type { CallTable } from '../../dispatch';

export const registrationCalls: CallTable = {};

/** Block step 1 (§2, §6.3): retarget burn/difficulty when due, then reset per-block counters. */
export function adjustRegistrationTerms(_ctx: RuntimeContext): void {}
