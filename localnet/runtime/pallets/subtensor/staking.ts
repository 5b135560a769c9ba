/** Staking, delegation and child keys (spec §8.1, §8.4). */
import type { CallTable } from '../../dispatch';

export const stakingCalls: CallTable = {};
