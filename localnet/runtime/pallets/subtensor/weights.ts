/** Weights (spec §7, §4.3): set_weights and its batch, commit-reveal v2, set_root_weights. */
import type { CallTable } from '../../dispatch';

export const weightsCalls: CallTable = {};
