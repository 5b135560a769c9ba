/**
 * A localnet with a seeded subnet from a genesis file (localnet/chain/genesis-file.ts), and a helper that
 * signs, submits and seals one block through a real ApiPromise.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../../localnet/chain/genesis-file';

export const NETUID = 1;

/** A subnet of `validators` validators and `miners` miners with stakes drawn from `seed`. */
export function seededGenesis(seed: number, validators: number, miners: number): unknown {
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x;
  };
  const neurons = [];
  for (let i = 0; i < validators; i++) neurons.push({ hotkey: `//Alice//v${i}`, coldkey: i % 2 === 0 ? '//Alice' : '//Bob', stake: String(1_000_000_000_000 + (next() % 1000) * 1_000_000_000) });
  for (let i = 0; i < miners; i++) neurons.push({ hotkey: `//Bob//m${i}`, coldkey: '//Bob', stake: '0' });
  return {
    balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000'], ['//Charlie', '1000000000000000']],
    subnets: [
      {
        netuid: NETUID,
        owner: '//Alice',
        tempo: 4,
        hyperparameters: { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: validators, TargetRegistrationsPerInterval: 100, MaxRegistrationsPerBlock: 100, ActivityCutoff: 5000 },
        neurons,
      },
    ],
  };
}

export async function startSeededLocalnet(doc: unknown): Promise<Localnet> {
  await cryptoWaitReady();
  const file = parseGenesisFile(doc);
  return startLocalnet({ port: 0, blockTimeMs: 0, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
}

/** Signs and submits `tx`, seals a block, and resolves with the dispatch error (`section.Name`) or null. */
export async function send(net: Localnet, api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, (result) => {
      if (!result.status.isInBlock && !result.status.isFinalized) return;
      unsub?.();
      const failed = result.dispatchError;
      if (failed?.isModule) {
        const meta = api.registry.findMetaError(failed.asModule);
        resolve(`${meta.section}.${meta.name}`);
      } else resolve(failed ? failed.type : null);
    })
      .then((u) => {
        unsub = u;
        return net.chain.newBlock();
      })
      .catch(reject);
  });
}
