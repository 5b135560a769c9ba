/**
 * Request signatures: the message a dendrite signs with its hotkey and the axon verifies, and the nonce
 * clock. The message is `"{nonce}.{dendrite_hotkey}.{axon_hotkey}.{dendrite_uuid}.{body_hash}"` (UTF-8),
 * signed sr25519 with the substrate signing context, rendered `0x` + 128 hex digits.
 */
import { v1 as uuidV1 } from 'uuid';
import { signMessage, verifyMessage, type Keypair } from '../chain-client/wallet';

export interface SignedFields {
  /** Nanoseconds since the Unix epoch. */
  readonly nonce: bigint;
  readonly dendriteHotkey: string;
  readonly axonHotkey: string;
  readonly uuid: string;
  readonly bodyHash: string;
}

export function requestMessage(fields: SignedFields): string {
  return `${fields.nonce}.${fields.dendriteHotkey}.${fields.axonHotkey}.${fields.uuid}.${fields.bodyHash}`;
}

/** @throws WalletError `InvalidKeyfile` for a public-only keypair */
export function signRequest(hotkey: Keypair, fields: SignedFields): string {
  return signMessage(hotkey, requestMessage(fields));
}

/** Whether `signature` (`0x` hex) is the dendrite hotkey's signature of the request message (the wasm crypto must be ready). */
export function verifyRequest(fields: SignedFields, signature: string): boolean {
  return verifyMessage(requestMessage(fields), signature, fields.dendriteHotkey);
}

// Python's time.time_ns(): wall-clock nanoseconds. Date.now() has millisecond resolution; the digits
// below the millisecond come from the monotonic clock, and the result never goes backwards in-process.
let lastNs = 0n;

/** Wall-clock nanoseconds since the Unix epoch, strictly increasing within the process. */
export function timeNs(): bigint {
  let now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (now <= lastNs) now = lastNs + 1n;
  lastNs = now;
  return now;
}

/** An RFC 4122 version-1 UUID string, as Python's `uuid.uuid1()` (the reference dendrite's instance id). */
export function uuid1(): string {
  return uuidV1();
}

/** Bittensor's `version_as_int`: `major·1_000_000 + minor·1_000 + patch`. */
export function versionAsInt(version: string): number {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new TypeError(`not a semantic version: ${version}`);
  return Number(match[1]) * 1_000_000 + Number(match[2]) * 1_000 + Number(match[3]);
}
