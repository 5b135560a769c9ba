/**
 * Network names and endpoints (wire-protocol §1.3), and the `TENSORNET_NETWORK` default.
 */
import { ChainClientError } from './errors';

/** The endpoints of the named networks. */
export const NETWORK_ENDPOINTS = Object.freeze({
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
} as const);

/** A named network. */
export type NetworkName = keyof typeof NETWORK_ENDPOINTS;

/** A network resolved to its endpoint. `name` is `custom` for a URL given directly. */
export interface ResolvedNetwork {
  readonly name: NetworkName | 'custom';
  readonly url: string;
}

/** The network used when none is given and `TENSORNET_NETWORK` is unset: tensornet's default chain is localnet. */
export const DEFAULT_NETWORK: NetworkName = 'local';

/**
 * Resolves a network name or ws(s):// URL. Without one, `env.TENSORNET_NETWORK` is used, then
 * {@link DEFAULT_NETWORK}. `local` honours `BT_SUBTENSOR_CHAIN_ENDPOINT` as the reference SDK does.
 * @throws ChainClientError `InvalidNetwork`
 */
export function resolveNetwork(network?: string, env: Readonly<Record<string, string | undefined>> = process.env): ResolvedNetwork {
  const chosen = (network ?? env['TENSORNET_NETWORK'] ?? DEFAULT_NETWORK).trim();
  if (Object.prototype.hasOwnProperty.call(NETWORK_ENDPOINTS, chosen)) {
    const name = chosen as NetworkName;
    const override = name === 'local' ? env['BT_SUBTENSOR_CHAIN_ENDPOINT'] : undefined;
    return { name, url: override ? checkUrl(override, 'BT_SUBTENSOR_CHAIN_ENDPOINT') : NETWORK_ENDPOINTS[name] };
  }
  return { name: 'custom', url: checkUrl(chosen, network === undefined ? 'TENSORNET_NETWORK' : 'network') };
}

function checkUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ChainClientError('InvalidNetwork', `${source}: "${redactUrl(text)}" is neither a network (${Object.keys(NETWORK_ENDPOINTS).join(', ')}) nor a ws:// or wss:// URL`, { network: redactUrl(text) });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ChainClientError('InvalidNetwork', `${source}: "${redactUrl(text)}" must use ws:// or wss://`, { network: redactUrl(text) });
  }
  return text;
}

/** The URL without user:password, for messages and logs. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//***@');
}
