/**
 * The subtensor pallet (`SubtensorModule`, index 7) and `AdminUtils` (index 19), composed from one
 * module per concern of the spec. `on_initialize` runs the block step of spec §2.
 */
import type { Runtime } from '../../index';
import { adminUtilsCalls } from './admin-utils';
import { runCoinbase } from './coinbase';
import { networkCalls } from './networks';
import { adjustRegistrationTerms, registrationCalls } from './registration';
import { servingCalls } from './serving';
import { stakingCalls } from './staking';
import { weightsCalls } from './weights';

export function registerSubtensor(runtime: Runtime): void {
  runtime.register(
    'SubtensorModule',
    { ...registrationCalls, ...servingCalls, ...weightsCalls, ...stakingCalls, ...networkCalls },
    {
      onInitialize(ctx) {
        adjustRegistrationTerms(ctx);
        runCoinbase(ctx);
      },
    },
  );
  runtime.register('AdminUtils', adminUtilsCalls);
}
