/**
 * The handler map: every JSON-RPC method the node serves, by name, with `rpc_methods` generated
 * from the map's own keys.
 */
import { method, type RpcEntry, type RpcHandlers } from '../method';
import { authorHandlers } from './author';
import { chainHandlers } from './chain';
import { devHandlers } from './dev';
import { paymentHandlers } from './payment';
import { stateHandlers } from './state';
import { subtensorHandlers } from './subtensor';
import { systemHandlers } from './system';

/** Every handler except `rpc_methods`. */
const baseHandlers = {
  ...systemHandlers,
  ...chainHandlers,
  ...stateHandlers,
  ...authorHandlers,
  ...paymentHandlers,
  ...subtensorHandlers,
  ...devHandlers,
} satisfies Record<string, RpcEntry>;

/** A method name the node serves. */
export type RpcMethodName = keyof typeof baseHandlers | 'rpc_methods';

/**
 * Builds the full handler map, `rpc_methods` included (`{methods: [...]}` sorted, as Substrate
 * answers). `extra` adds or overrides handlers (e.g. test-only methods). With `denyUnsafe`, the
 * unsafe methods stay in the map (to be refused with Substrate's error) but `rpc_methods` lists only
 * what is served.
 */
export function createHandlers(extra: RpcHandlers = {}, options: { readonly denyUnsafe?: boolean } = {}): RpcHandlers {
  const merged: Record<string, RpcEntry> = { ...baseHandlers, ...extra };
  const served = Object.keys(merged).filter((name) => !(options.denyUnsafe && merged[name]!.unsafe !== undefined));
  const methods = [...new Set([...served, 'rpc_methods'])].sort();
  merged.rpc_methods = method([], () => ({ methods }));
  return Object.freeze(merged);
}
