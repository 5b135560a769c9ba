/**
 * Runtime APIs served through `state_call` (SCALE in, SCALE out), as the spec-219 runtime implements
 * them: Core, Metadata, AccountNonceApi, TransactionPaymentApi and subtensor's own (NeuronInfo,
 * SubnetInfo, DelegateInfo, SubnetRegistration), which answer what the node's custom RPCs answer.
 */
import { compactFromU8a, compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { checkExtrinsic, type SignatureEnv } from '../chain/extrinsic';
import { ChainError } from '../chain/errors';
import type { StateReader } from '../state/types';
import type { Runtime } from './index';
import { extrinsicInfo } from './executive';
import { runtimeItems } from './items';
import { subtensorCustomRpc } from './pallets/subtensor/rpc';
import { computeFee } from './pallets/transaction-payment';
import type { AccountId, DispatchInfo } from './primitives';

const u32le = (n: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
};
const u64le = (n: bigint): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
};
const CLASS_INDEX = { Normal: 0, Operational: 1, Mandatory: 2 } as const;

function readU32(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + 4) throw new ChainError('InvalidParams', 'expected a u32 argument');
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true);
}

function dispatchInfoBytes(info: DispatchInfo): Uint8Array {
  return u8aConcat(compactToU8a(info.weight.ref_time), compactToU8a(info.weight.proof_size), new Uint8Array([CLASS_INDEX[info.class]]));
}

export interface RuntimeApiEnv {
  readonly state: StateReader;
  readonly signature: SignatureEnv;
}

/** Executes runtime API `method` with SCALE `args`. Throws `ChainError` (`UnknownRuntimeCall`, `InvalidParams`). */
export function runtimeApiCall(runtime: Runtime, method: string, args: Uint8Array, env: RuntimeApiEnv): Uint8Array {
  switch (method) {
    case 'Core_version':
      return runtime.versionBytes;
    case 'Metadata_metadata':
      return u8aConcat(compactToU8a(runtime.meta.bytes.length), runtime.meta.bytes);
    case 'Metadata_metadata_versions':
      return u8aConcat(compactToU8a(1), u32le(14));
    case 'Metadata_metadata_at_version':
      return readU32(args, 0) === 14 ? u8aConcat(new Uint8Array([1]), compactToU8a(runtime.meta.bytes.length), runtime.meta.bytes) : new Uint8Array([0]);
    case 'AccountNonceApi_account_nonce': {
      if (args.length !== 32) throw new ChainError('InvalidParams', 'AccountNonceApi_account_nonce takes a 32-byte account id');
      const who = u8aToHex(args) as AccountId;
      return u32le(runtimeItems().System.Account.get(env.state, who).nonce);
    }
    case 'TransactionPaymentApi_query_info':
    case 'TransactionPaymentApi_query_fee_details': {
      const { info, fee } = queryFee(runtime, args, env);
      if (method === 'TransactionPaymentApi_query_info') return u8aConcat(dispatchInfoBytes(info), u64le(fee.partialFee));
      const inclusion = info.pays_fee === 'No' ? new Uint8Array([0]) : u8aConcat(new Uint8Array([1]), u64le(fee.baseFee), u64le(fee.lenFee), u64le(fee.adjustedWeightFee));
      return u8aConcat(inclusion, u64le(0n));
    }
    default: {
      const subtensor = Object.hasOwn(SUBTENSOR_RUNTIME_APIS, method) ? SUBTENSOR_RUNTIME_APIS[method] : undefined;
      if (subtensor) return subtensorRuntimeApi(method, subtensor, args, env.state);
      throw new ChainError('UnknownRuntimeCall', `localnet does not implement the runtime API ${method}`);
    }
  }
}

/** A subtensor runtime API: the custom RPC computing the same answer, its argument types, and how its result is returned. */
interface SubtensorRuntimeApi {
  readonly rpc: string;
  readonly args: ReadonlyArray<'u16' | 'bytes'>;
  /** `vec`: `Vec<u8>` holding the struct's encoding (empty for None); `u64`: a bare u64. */
  readonly returns: 'vec' | 'u64';
}

/** opentensor/subtensor `pallets/subtensor/runtime-api` (pre-dTAO): `decl_runtime_apis!` traits and signatures. */
const SUBTENSOR_RUNTIME_APIS: Readonly<Record<string, SubtensorRuntimeApi>> = {
  NeuronInfoRuntimeApi_get_neurons: { rpc: 'neuronInfo_getNeurons', args: ['u16'], returns: 'vec' },
  NeuronInfoRuntimeApi_get_neuron: { rpc: 'neuronInfo_getNeuron', args: ['u16', 'u16'], returns: 'vec' },
  NeuronInfoRuntimeApi_get_neurons_lite: { rpc: 'neuronInfo_getNeuronsLite', args: ['u16'], returns: 'vec' },
  NeuronInfoRuntimeApi_get_neuron_lite: { rpc: 'neuronInfo_getNeuronLite', args: ['u16', 'u16'], returns: 'vec' },
  SubnetInfoRuntimeApi_get_subnet_info: { rpc: 'subnetInfo_getSubnetInfo', args: ['u16'], returns: 'vec' },
  SubnetInfoRuntimeApi_get_subnets_info: { rpc: 'subnetInfo_getSubnetsInfo', args: [], returns: 'vec' },
  SubnetInfoRuntimeApi_get_subnet_hyperparams: { rpc: 'subnetInfo_getSubnetHyperparams', args: ['u16'], returns: 'vec' },
  DelegateInfoRuntimeApi_get_delegates: { rpc: 'delegateInfo_getDelegates', args: [], returns: 'vec' },
  DelegateInfoRuntimeApi_get_delegate: { rpc: 'delegateInfo_getDelegate', args: ['bytes'], returns: 'vec' },
  DelegateInfoRuntimeApi_get_delegated: { rpc: 'delegateInfo_getDelegated', args: ['bytes'], returns: 'vec' },
  SubnetRegistrationRuntimeApi_get_network_registration_cost: { rpc: 'subnetInfo_getLockCost', args: [], returns: 'u64' },
};

function subtensorRuntimeApi(method: string, api: SubtensorRuntimeApi, args: Uint8Array, state: StateReader): Uint8Array {
  const params = decodeArgs(method, api.args, args);
  // A runtime API runs against the state of block `at`, whose System.Number is that block's number.
  const answer = subtensorCustomRpc(api.rpc, params, state, runtimeItems().System.Number.get(state));
  if (api.returns === 'u64') return answer!;
  const bytes = answer ?? new Uint8Array();
  return u8aConcat(compactToU8a(bytes.length), bytes);
}

/** SCALE arguments as the custom RPCs' JSON params: u16 → number, Vec<u8> → array of byte values. */
function decodeArgs(method: string, types: ReadonlyArray<'u16' | 'bytes'>, args: Uint8Array): unknown[] {
  const out: unknown[] = [];
  let offset = 0;
  for (const type of types) {
    if (type === 'u16') {
      if (args.length < offset + 2) throw new ChainError('InvalidParams', `${method}: expected a u16 argument`);
      out.push(args[offset]! | (args[offset + 1]! << 8));
      offset += 2;
    } else {
      const [prefix, length] = compactFromU8a(args.subarray(offset));
      const start = offset + prefix;
      const end = start + length.toNumber();
      if (end > args.length) throw new ChainError('InvalidParams', `${method}: the Vec<u8> argument is truncated`);
      out.push(Array.from(args.subarray(start, end)));
      offset = end;
    }
  }
  if (offset !== args.length) throw new ChainError('InvalidParams', `${method}: ${args.length - offset} bytes left after the arguments`);
  return out;
}

/** `(uxt: Extrinsic, len: u32)`: the extrinsic's own encoding (with its length prefix) then a u32. */
function queryFee(runtime: Runtime, args: Uint8Array, env: RuntimeApiEnv) {
  if (args.length < 5) throw new ChainError('InvalidParams', 'expected (extrinsic, u32 length)');
  const len = readU32(args, args.length - 4);
  const uxt = args.subarray(0, args.length - 4);
  let ext;
  try {
    // Fee estimates are asked for unsigned or fake-signed extrinsics too, so skip the signature check when it fails.
    ext = checkExtrinsic(runtime.meta, uxt, env.signature);
  } catch {
    ext = checkExtrinsic(runtime.meta, uxt, { ...env.signature, verifySignature: false });
  }
  const info = extrinsicInfo(ext);
  return { info, fee: computeFee(info, len) };
}
