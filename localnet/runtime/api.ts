/**
 * Runtime APIs served through `state_call` (SCALE in, SCALE out), as the spec-219 runtime implements
 * them: Core, Metadata, AccountNonceApi and TransactionPaymentApi.
 */
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { checkExtrinsic, type SignatureEnv } from '../chain/extrinsic';
import { ChainError } from '../chain/errors';
import type { StateReader } from '../state/types';
import type { Runtime } from './index';
import { extrinsicInfo } from './executive';
import { runtimeItems } from './items';
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
    default:
      throw new ChainError('UnknownRuntimeCall', `localnet does not implement the runtime API ${method}`);
  }
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
