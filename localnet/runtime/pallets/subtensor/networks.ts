/** Subnet creation and removal, root registration, identities (spec §4.2, §4.4). */
import type { CallTable } from '../../dispatch';

export const networkCalls: CallTable = {};
