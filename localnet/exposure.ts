/**
 * Refuses to expose a development chain to the network. The default genesis makes //Alice sudo, and
 * the secrets of //Alice..//Ferdie are public: whoever reaches the RPC port of such a chain can sign
 * as sudo and do anything with it. So a chain whose sudo key is one of them listens on loopback only,
 * unless the operator says otherwise (`allowDevGenesisOnNetwork`, `--unsafe-dev-genesis-on-network`).
 */
import { TensornetError } from '../common/errors';
import type { Chain } from './chain/chain';
import { DEV_SEEDS, devAccount } from './chain/genesis';
import { listenScope } from './rpc/access';
import { runtimeItems } from './runtime/items';

export class DevGenesisExposedError extends TensornetError<'DevGenesisOnNetwork'> {}

/** The dev URI (`//Alice`) of the chain's sudo key when it is a well-known development key. */
export function devSudoKey(chain: Chain): string | undefined {
  const sudo = runtimeItems().Sudo.Key.get(chain.stateAt());
  if (sudo === null) return undefined;
  const seed = DEV_SEEDS.find((s) => devAccount(s) === sudo);
  return seed === undefined ? undefined : `//${seed}`;
}

/** Throws `DevGenesisExposedError` when listening on `host` would put a dev-sudo chain on the network. */
export async function assertDevChainNotExposed(chain: Chain, host: string, allow: boolean): Promise<void> {
  if (allow) return;
  const sudo = devSudoKey(chain);
  if (sudo === undefined || (await listenScope(host)) === 'loopback') return;
  throw new DevGenesisExposedError(
    'DevGenesisOnNetwork',
    `refusing to listen on ${host}: the chain's sudo key is ${sudo}, a development key whose secret is public, so anyone who reaches the port could take over the chain; listen on 127.0.0.1, use a genesis file with your own sudo key, or pass --unsafe-dev-genesis-on-network (allowDevGenesisOnNetwork) if this network is yours alone`,
    { host, sudo },
  );
}
