/**
 * Subtensor's genesis (spec §10 "root" column): the root network (netuid 0) with MaxAllowedUids 64,
 * MaxAllowedValidators 64, MinAllowedWeights 0, MaxWeightsLimit 65535, Tempo 100, registration
 * allowed and one target registration per interval.
 */
import type { StateWriter } from '../../../state/types';
import { st } from './items';
import { ROOT_NETUID } from './common';

export function writeRootNetworkGenesis(state: StateWriter): void {
  const s = st();
  s.NetworksAdded.set(state, ROOT_NETUID, true);
  s.TotalNetworks.set(state, 1);
  s.SubnetworkN.set(state, ROOT_NETUID, 0);
  s.MaxAllowedUids.set(state, ROOT_NETUID, 64);
  s.MaxAllowedValidators.set(state, ROOT_NETUID, 64);
  s.MinAllowedWeights.set(state, ROOT_NETUID, 0);
  s.MaxWeightsLimit.set(state, ROOT_NETUID, 65535);
  s.Tempo.set(state, ROOT_NETUID, 100);
  s.NetworkRegistrationAllowed.set(state, ROOT_NETUID, true);
  s.TargetRegistrationsPerInterval.set(state, ROOT_NETUID, 1);
}
