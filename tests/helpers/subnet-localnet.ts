import { connect, type ChainClient } from '../../chain-client';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';

/** Hyperparameters that let one validator set weights at once and any miner serve: what API and CLI tests need. */
export const OPEN_SUBNET_HYPERPARAMETERS = { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: 1, ServingRateLimit: 0, ActivityCutoff: 5000, WeightsVersionKey: 0 };

type GenesisExtension = (...args: Parameters<typeof applyGenesisSubnets> extends [unknown, ...infer Rest] ? Rest : never) => void;

export interface SubnetLocalnetOptions {
  netuid: number;
  /** The one staked validator's hotkey URI (coldkey //Alice, 1,000 TAO staked). */
  validator: string;
  /** Miner hotkey URIs (coldkey //Bob, no stake). */
  miners: readonly string[];
  /** Runs after the subnet is in the genesis state. */
  extendGenesis?: GenesisExtension;
}

/**
 * A localnet (100 ms blocks, free port) whose genesis holds one subnet owned by //Alice with tempo 100,
 * a validator and miners already registered, and a chain client connected to it.
 */
export async function startSubnetLocalnet(options: SubnetLocalnetOptions): Promise<{ net: Localnet; client: ChainClient }> {
  const file = parseGenesisFile({
    balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000']],
    subnets: [{
      netuid: options.netuid,
      owner: '//Alice',
      tempo: 100,
      hyperparameters: OPEN_SUBNET_HYPERPARAMETERS,
      neurons: [{ hotkey: options.validator, coldkey: '//Alice', stake: '1000000000000' }, ...options.miners.map((uri) => ({ hotkey: uri, coldkey: '//Bob', stake: '0' }))],
    }],
  });
  const net = await startLocalnet({
    port: 0,
    blockTimeMs: 100,
    genesis: genesisConfigOf(file),
    extendGenesis: (state, runtime) => {
      applyGenesisSubnets(file, state, runtime);
      options.extendGenesis?.(state, runtime);
    },
  });
  const client = await connect({ network: net.url, timeoutMs: 20_000, reconnectDelayMs: 0 });
  return { net, client };
}
