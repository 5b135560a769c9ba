/**
 * Genesis state: the dev accounts //Alice..//Ferdie funded, //Alice as sudo, and the root network
 * (netuid 0) as subtensor's genesis creates it (spec §10: MaxAllowedUids 64, MaxAllowedValidators 64,
 * MinAllowedWeights 0, MaxWeightsLimit 65535, Tempo 100, registration allowed, target regs 1).
 */
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { runtimeItems } from '../runtime/items';
import type { AccountId } from '../runtime/primitives';
import type { StateWriter } from '../state/types';
import { writeRootNetworkGenesis } from '../runtime/pallets/subtensor/genesis';

export const DEV_SEEDS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

/** 1,000,000 TAO per dev account. */
export const DEV_ENDOWMENT = 1_000_000n * 1_000_000_000n;

export interface GenesisConfig {
  /** Accounts and their free balance (rao). @default //Alice..//Ferdie with 1,000,000 TAO each */
  readonly balances?: ReadonlyArray<readonly [AccountId, bigint]>;
  /** @default //Alice */
  readonly sudo?: AccountId;
}

/** The sr25519 account id of a dev URI such as `//Alice` (requires `cryptoWaitReady()`). */
export function devAccount(seed: string): AccountId {
  const pair = new Keyring({ type: 'sr25519' }).addFromUri(`//${seed}`);
  return u8aToHex(pair.publicKey) as AccountId;
}

export function writeGenesis(state: StateWriter, config: GenesisConfig = {}): void {
  const items = runtimeItems();
  const balances = config.balances ?? DEV_SEEDS.map((s) => [devAccount(s), DEV_ENDOWMENT] as const);
  let issuance = 0n;
  for (const [who, free] of balances) {
    items.System.Account.set(state, who, { nonce: 0, consumers: 0, providers: 1, sufficients: 0, data: { free, reserved: 0n, frozen: 0n, flags: 0n } });
    issuance += free;
  }
  items.Balances.TotalIssuance.set(state, issuance);
  items.SubtensorModule.TotalIssuance.set(state, issuance);
  items.Sudo.Key.set(state, config.sudo ?? devAccount('Alice'));
  items.System.LastRuntimeUpgrade.set(state, { spec_version: 219, spec_name: 'node-subtensor' });
  items.System.UpgradedToU32RefCount.set(state, true);
  items.System.UpgradedToTripleRefCount.set(state, true);
  items.System.Number.set(state, 0);
  writeRootNetworkGenesis(state);
}
