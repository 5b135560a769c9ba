/**
 * JSON shapes a Substrate node returns, built from the SCALE data the chain keeps: headers, blocks,
 * runtime versions, `RuntimeDispatchInfo`. Decoding uses a default `TypeRegistry`, whose `Header`,
 * `DigestItem` and `RuntimeDispatchInfoV1/V2` match the runtime's (generic header, u32 numbers,
 * BlakeTwo256; u128 balances).
 */
import { TypeRegistry } from '@polkadot/types';
import type { Header, RuntimeDispatchInfoV1, RuntimeDispatchInfoV2 } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import type { BlockRecord, ChainProperties, HexString, RuntimeVersion, TransactionStatus } from '../chain/backend';
import type { Json } from './json';

let sharedRegistry: TypeRegistry | undefined;

function registry(): TypeRegistry {
  sharedRegistry ??= new TypeRegistry();
  return sharedRegistry;
}

/** A header as `chain_getHeader` returns it (number as a hex quantity, digest logs as hex). */
export type HeaderJson = {
  readonly parentHash: HexString;
  readonly number: HexString;
  readonly stateRoot: HexString;
  readonly extrinsicsRoot: HexString;
  readonly digest: { readonly logs: readonly HexString[] };
};

/** A block as `chain_getBlock` returns it. */
export type SignedBlockJson = {
  readonly block: { readonly header: HeaderJson; readonly extrinsics: readonly HexString[] };
  readonly justifications: null;
};

/** Decodes a SCALE `Header` into the node's JSON form. */
export function decodeHeader(bytes: Uint8Array): HeaderJson {
  const header = registry().createType<Header>('Header', bytes);
  return {
    parentHash: header.parentHash.toHex(),
    number: `0x${header.number.unwrap().toString(16)}`,
    stateRoot: header.stateRoot.toHex(),
    extrinsicsRoot: header.extrinsicsRoot.toHex(),
    digest: { logs: header.digest.logs.map((log) => log.toHex()) },
  };
}

const headerCache = new WeakMap<BlockRecord, HeaderJson>();

/** The header JSON of a block (decoded once per block record). */
export function headerJson(block: BlockRecord): HeaderJson {
  let json = headerCache.get(block);
  if (json === undefined) {
    json = decodeHeader(block.header);
    headerCache.set(block, json);
  }
  return json;
}

/** The block JSON of a block: header plus each extrinsic's full encoding as hex. */
export function blockJson(block: BlockRecord): SignedBlockJson {
  return {
    block: { header: headerJson(block), extrinsics: block.extrinsics.map((xt) => u8aToHex(xt)) },
    justifications: null,
  };
}

/** `state_getRuntimeVersion`'s JSON. */
export function runtimeVersionJson(version: RuntimeVersion): Json {
  return {
    specName: version.specName,
    implName: version.implName,
    authoringVersion: version.authoringVersion,
    specVersion: version.specVersion,
    implVersion: version.implVersion,
    apis: version.apis.map(([id, apiVersion]) => [id, apiVersion]),
    transactionVersion: version.transactionVersion,
    stateVersion: version.stateVersion,
  };
}

/** `system_properties`' JSON. */
export function propertiesJson(properties: ChainProperties): Json {
  return { ss58Format: properties.ss58Format, tokenDecimals: properties.tokenDecimals, tokenSymbol: properties.tokenSymbol };
}

/**
 * An `author_extrinsicUpdate` result: Substrate's `TransactionStatus` serde form
 * (`"ready"`, `{"inBlock": hash}`, `{"finalized": hash}`, `"invalid"`, `"dropped"`), which
 * polkadot.js decodes as `ExtrinsicStatus`. The invalid/dropped reason is not part of it.
 */
export function transactionStatusJson(status: TransactionStatus): Json {
  switch (status.type) {
    case 'ready':
      return 'ready';
    case 'inBlock':
      return { inBlock: status.blockHash };
    case 'finalized':
      return { finalized: status.blockHash };
    case 'invalid':
      return 'invalid';
    case 'dropped':
      return 'dropped';
  }
}

/** Whether the status ends the watch (Substrate closes the subscription after it). */
export function isFinalStatus(status: TransactionStatus): boolean {
  return status.type === 'finalized' || status.type === 'invalid' || status.type === 'dropped';
}

/**
 * `payment_queryInfo`'s JSON: `{weight: {refTime, proofSize}, class, partialFee}` with the class in
 * camelCase and the fee as a decimal string (`serde_balance`), as `pallet-transaction-payment-rpc`
 * serializes `RuntimeDispatchInfo`. Decodes the runtime's SCALE `RuntimeDispatchInfo` with a V2
 * weight (two compact u64s) and a u128 or (subtensor's) u64 fee; a 25-byte value that does not decode as V2 is read with a V1 (u64)
 * weight, as older runtimes return.
 */
export function decodeDispatchInfo(bytes: Uint8Array): Json {
  const reg = registry();
  // Subtensor's `Balance` is a u64 (the default registry's is a u128): try the runtime's layout too.
  const v2 =
    tryDecode(() => reg.createType<RuntimeDispatchInfoV2>('RuntimeDispatchInfoV2', bytes), bytes.length) ??
    tryDecode(() => reg.createType<RuntimeDispatchInfoV2>('{"weight":"WeightV2","class":"DispatchClass","partialFee":"u64"}', bytes), bytes.length);
  if (v2 !== undefined) {
    return {
      weight: { refTime: v2.weight.refTime.unwrap().toBigInt(), proofSize: v2.weight.proofSize.unwrap().toBigInt() },
      class: camelCase(v2.class.type),
      partialFee: v2.partialFee.toBigInt().toString(),
    };
  }
  const v1 = tryDecode(() => reg.createType<RuntimeDispatchInfoV1>('RuntimeDispatchInfoV1', bytes), bytes.length);
  if (v1 !== undefined) {
    return { weight: v1.weight.toBigInt(), class: camelCase(v1.class.type), partialFee: v1.partialFee.toBigInt().toString() };
  }
  throw new Error(`RuntimeDispatchInfo: ${bytes.length} bytes decode neither with a V2 nor a V1 weight`);
}

/** The decoded value when decoding succeeds and consumes exactly `length` bytes. */
function tryDecode<T extends { readonly encodedLength: number }>(decode: () => T, length: number): T | undefined {
  try {
    const value = decode();
    return value.encodedLength === length ? value : undefined;
  } catch {
    return undefined;
  }
}

function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Reads a little-endian u64 (a SCALE `u64`) as a number when exact, else a bigint. */
export function decodeU64(bytes: Uint8Array): number | bigint {
  if (bytes.length !== 8) throw new Error(`expected 8 bytes of SCALE u64, got ${bytes.length}`);
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
