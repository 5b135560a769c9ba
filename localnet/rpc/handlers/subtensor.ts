/**
 * Subtensor's custom RPCs (pre-dTAO node). Each answers the runtime API's `Vec<u8>` (the SCALE
 * encoding of the info struct) as a JSON array of byte values; an absent value (the backend's
 * `null`) is the empty vector, as the runtime returns for `None`. `subnetInfo_getLockCost` answers
 * the u64 as a JSON number. Failures are code 1 with the node's message and the cause as `data`.
 */
import type { HexString } from '../../chain/backend';
import { decodeU64 } from '../codec';
import { RpcError, runtimeApiError } from '../errors';
import type { Json } from '../json';
import { method, param, type MethodEntry, type ParamDef, type RpcContext, type RpcEntry } from '../method';
import { blockHash, byteArray, optional, u16 } from '../schemas';

const netuid = param('netuid', u16);
const uid = param('uid', u16);
const at = param('at', optional(blockHash));

/** Calls `backend.customRpc` with the params before `at`, mapping failures to the node's error. */
function callCustomRpc(ctx: RpcContext, name: string, failure: string, args: readonly unknown[]): Uint8Array | null {
  const params = args.slice(0, -1);
  const hash = args[args.length - 1] as HexString | undefined;
  try {
    return ctx.backend.customRpc(name, params, hash);
  } catch (err) {
    throw runtimeApiError(failure, err);
  }
}

/** A `Vec<u8>`-returning custom RPC taking `params` then an optional block hash. */
function bytesRpc(name: string, params: readonly ParamDef[], failure: string): MethodEntry {
  return method([...params, at], (ctx, args) => {
    const bytes = callCustomRpc(ctx, name, failure, args);
    return bytes === null ? [] : Array.from(bytes);
  });
}

const getLockCost = method([at], (ctx, args): Json => {
  const failure = 'Unable to get subnet lock cost.';
  const bytes = callCustomRpc(ctx, 'subnetInfo_getLockCost', failure, args);
  if (bytes === null) throw new RpcError('RuntimeError', failure, 'the runtime returned no value');
  return decodeU64(bytes);
});

export const subtensorHandlers = {
  neuronInfo_getNeuronsLite: bytesRpc('neuronInfo_getNeuronsLite', [netuid], 'Unable to get neurons lite info.'),
  neuronInfo_getNeuronLite: bytesRpc('neuronInfo_getNeuronLite', [netuid, uid], 'Unable to get neuron lite info.'),
  neuronInfo_getNeurons: bytesRpc('neuronInfo_getNeurons', [netuid], 'Unable to get neurons info.'),
  neuronInfo_getNeuron: bytesRpc('neuronInfo_getNeuron', [netuid, uid], 'Unable to get neuron info.'),
  subnetInfo_getSubnetInfo: bytesRpc('subnetInfo_getSubnetInfo', [netuid], 'Unable to get subnet info.'),
  subnetInfo_getSubnetsInfo: bytesRpc('subnetInfo_getSubnetsInfo', [], 'Unable to get subnets info.'),
  subnetInfo_getSubnetHyperparams: bytesRpc('subnetInfo_getSubnetHyperparams', [netuid], 'Unable to get subnet info.'),
  subnetInfo_getLockCost: getLockCost,
  delegateInfo_getDelegates: bytesRpc('delegateInfo_getDelegates', [], 'Unable to get delegates info.'),
  delegateInfo_getDelegate: bytesRpc('delegateInfo_getDelegate', [param('delegate_account_vec', byteArray)], 'Unable to get delegate info.'),
  delegateInfo_getDelegated: bytesRpc('delegateInfo_getDelegated', [param('delegatee_account_vec', byteArray)], 'Unable to get delegated info.'),
} satisfies Record<string, RpcEntry>;
