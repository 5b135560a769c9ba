/** `payment_queryInfo`: fee and weight of an extrinsic via the runtime's `TransactionPaymentApi`. */
import { hexToU8a, u8aConcat } from '@polkadot/util';
import { decodeDispatchInfo } from '../codec';
import { runtimeApiError } from '../errors';
import { method, param, type RpcEntry } from '../method';
import { blockHash, hexBytes, optional } from '../schemas';

/** SCALE `u32`, little-endian. */
function u32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

export const paymentHandlers = {
  /**
   * As `pallet-transaction-payment-rpc`: calls `TransactionPaymentApi_query_info(uxt, len)` with the
   * extrinsic and its encoded length, and answers `{weight: {refTime, proofSize}, class, partialFee}`.
   * A runtime failure is code 1 "Unable to query dispatch info." with the cause as `data`.
   */
  payment_queryInfo: method([param('extrinsic', hexBytes), param('at', optional(blockHash))], ({ backend }, [hex, at]) => {
    const xt = hexToU8a(hex);
    let encoded: Uint8Array;
    try {
      encoded = backend.runtimeCall('TransactionPaymentApi_query_info', u8aConcat(xt, u32le(xt.length)), at);
    } catch (err) {
      throw runtimeApiError('Unable to query dispatch info.', err);
    }
    return decodeDispatchInfo(encoded);
  }),
} satisfies Record<string, RpcEntry>;
