/**
 * Declared weight, class and fee policy per call. Subtensor's own extrinsics were `Pays::No` in the
 * pre-dTAO runtime (spec 219) except identities and child keys, so most are free; the rest pay the
 * normal fee on their weight (weights here approximate the runtime's declared ones).
 */
import type { CallWeight } from './pallets/transaction-payment';

const DEFAULT_WEIGHT: CallWeight = { refTime: 100_000_000n };

const TABLE: Readonly<Record<string, CallWeight>> = {
  'Timestamp.set': { refTime: 10_000_000n, class: 'Mandatory', pays: 'No' },
  'System.remark': { refTime: 2_000_000n },
  'System.remark_with_event': { refTime: 8_000_000n },
  'Balances.transfer_allow_death': { refTime: 59_000_000n },
  'Balances.transfer_keep_alive': { refTime: 46_000_000n },
  'Balances.transfer_all': { refTime: 57_000_000n },
  'Balances.force_transfer': { refTime: 59_000_000n },
  'Balances.force_set_balance': { refTime: 19_000_000n },
  'Balances.burn': { refTime: 30_000_000n },
  'Sudo.sudo': { refTime: 10_000_000n, pays: 'No' },
  'Sudo.sudo_unchecked_weight': { refTime: 10_000_000n, pays: 'No' },
  'Sudo.sudo_as': { refTime: 10_000_000n, pays: 'No' },
  'Sudo.set_key': { refTime: 10_000_000n, pays: 'No' },
  'Sudo.remove_key': { refTime: 10_000_000n, pays: 'No' },
  // The few subtensor calls the runtime charges for.
  'SubtensorModule.set_identity': { refTime: 45_000_000n },
  'SubtensorModule.set_subnet_identity': { refTime: 45_000_000n },
  'SubtensorModule.set_children': { refTime: 190_000_000n },
  'SubtensorModule.set_childkey_take': { refTime: 45_000_000n },
  'SubtensorModule.schedule_dissolve_network': { refTime: 119_000_000n },
};

export function callWeight(pallet: string, method: string): CallWeight {
  const declared = TABLE[`${pallet}.${method}`];
  if (declared) return declared;
  if (pallet === 'SubtensorModule') return { refTime: DEFAULT_WEIGHT.refTime, pays: 'No' };
  if (pallet === 'AdminUtils') return { refTime: DEFAULT_WEIGHT.refTime, class: 'Operational', pays: 'No' };
  return DEFAULT_WEIGHT;
}
