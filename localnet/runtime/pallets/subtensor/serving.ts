/** Axon and Prometheus endpoints (spec §9). */
import type { CallTable } from '../../dispatch';

export const servingCalls: CallTable = {};
