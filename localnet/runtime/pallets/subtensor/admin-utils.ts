/** The AdminUtils pallet: hyperparameter setters with owner-or-root / root origins (spec §10). */
import type { CallTable } from '../../dispatch';

export const adminUtilsCalls: CallTable = {};
