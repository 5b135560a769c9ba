/**
 * Authenticating a request from its headers alone (before any body byte is read): the dendrite's hotkey,
 * nonce, uuid, body hash and signature, checked against this axon's hotkey and the nonce store.
 *
 * Stricter than the reference axon: a signature is always required (10.2 skips verification when it is
 * empty); a request signed for another axon is named as such; the nonce is checked against a fixed window
 * on every request (see nonce-store.ts); the unsigned `timeout` header never widens what is accepted.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { decodeAddress } from '@polkadot/util-crypto';
import { requestMessage, verifyRequest } from '../../protocol';
import type { NonceStore } from './nonce-store';
import { AxonRefusal, notVerified } from './refusals';

/** What a verified request's headers establish. */
export interface Authenticated {
  readonly hotkey: string;
  readonly uuid: string;
  readonly nonce: bigint;
  /** The `computed_body_hash` the signature covers; the body must hash to it. */
  readonly bodyHash: string;
  /** The caller's timeout, seconds (the `timeout` header, capped). */
  readonly timeoutS: number;
  readonly version: number | null;
  readonly dendriteIp: string | null;
  /** The key of the nonce store. */
  readonly nonceKey: string;
}

export interface AuthContext {
  readonly axonHotkey: string;
  readonly nonces: NonceStore;
  /** The longest timeout a caller may ask for, seconds. */
  readonly maxTimeoutS: number;
  /** The timeout when the header is absent, seconds. */
  readonly defaultTimeoutS: number;
}

const NONCE = /^(0|[1-9][0-9]{0,30})$/;
const UUID = /^[A-Za-z0-9-]{1,64}$/;
const BODY_HASH = /^[0-9a-f]{64}$/;
const PYTHON_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Hotkeys that decoded (an axon sees the same few callers on every request): insertion-ordered, oldest dropped first. */
const addresses = new Set<string>();
const MAX_ADDRESSES = 4096;

function isAddress(hotkey: string): boolean {
  if (addresses.has(hotkey)) return true;
  try {
    decodeAddress(hotkey);
  } catch {
    return false;
  }
  if (addresses.size >= MAX_ADDRESSES) addresses.delete(addresses.values().next().value!);
  addresses.add(hotkey);
  return true;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The caller's timeout in seconds. @throws AxonRefusal `InvalidHeader` */
export function timeoutOf(headers: IncomingHttpHeaders, ctx: Pick<AuthContext, 'maxTimeoutS' | 'defaultTimeoutS'>): number {
  const text = header(headers, 'timeout');
  if (text === undefined || text === 'None') return Math.min(ctx.defaultTimeoutS, ctx.maxTimeoutS);
  const value = PYTHON_FLOAT.test(text.trim()) ? Number(text) : NaN;
  if (!(value > 0)) throw new AxonRefusal('InvalidHeader', `timeout header must be a positive number of seconds, got "${text.slice(0, 32)}"`);
  return Math.min(value, ctx.maxTimeoutS);
}

/**
 * Verifies the headers; does not record the nonce (the caller commits it once the request is admitted).
 * @throws AxonRefusal 400 `InvalidHeader`, 401 `MissingHeader` / `MissingSignature` / `WrongAxon` / `Nonce*` / `SignatureMismatch`
 */
export function authenticate(headers: IncomingHttpHeaders, ctx: AuthContext): Authenticated {
  const timeoutS = timeoutOf(headers, ctx);
  const hotkey = header(headers, 'bt_header_dendrite_hotkey');
  if (!hotkey) throw notVerified('MissingHeader', 'Missing dendrite hotkey (bt_header_dendrite_hotkey)');
  if (!isAddress(hotkey)) throw notVerified('MissingHeader', 'bt_header_dendrite_hotkey is not an SS58 address');
  const nonceText = header(headers, 'bt_header_dendrite_nonce');
  if (!nonceText) throw notVerified('MissingHeader', 'Missing Nonce');
  if (!NONCE.test(nonceText)) throw notVerified('MissingHeader', 'bt_header_dendrite_nonce must be a decimal integer of nanoseconds');
  const uuid = header(headers, 'bt_header_dendrite_uuid');
  if (!uuid || !UUID.test(uuid)) throw notVerified('MissingHeader', 'Missing or malformed bt_header_dendrite_uuid');
  const signature = header(headers, 'bt_header_dendrite_signature');
  if (!signature) throw notVerified('MissingSignature', 'Missing signature: every request must be signed by the dendrite hotkey');
  const bodyHash = header(headers, 'computed_body_hash');
  if (!bodyHash || !BODY_HASH.test(bodyHash)) throw notVerified('MissingHeader', 'Missing or malformed computed_body_hash');
  const target = header(headers, 'bt_header_axon_hotkey');
  if (target !== undefined && target !== ctx.axonHotkey) throw notVerified('WrongAxon', `the request is addressed to axon ${target}, this axon is ${ctx.axonHotkey}`);

  const nonce = BigInt(nonceText);
  const nonceKey = `${hotkey}:${uuid}`;
  const verdict = ctx.nonces.check(nonceKey, nonce);
  if (!verdict.ok) throw notVerified(verdict.code, verdict.detail);
  const fields = { nonce, dendriteHotkey: hotkey, axonHotkey: ctx.axonHotkey, uuid, bodyHash };
  if (!verifyRequest(fields, signature)) throw notVerified('SignatureMismatch', `Signature mismatch with ${requestMessage(fields)} and ${signature.slice(0, 140)}`);

  const versionText = header(headers, 'bt_header_dendrite_version');
  const version = versionText !== undefined && /^\d{1,12}$/.test(versionText) ? Number(versionText) : null;
  return { hotkey, uuid, nonce, bodyHash, timeoutS, version, dendriteIp: header(headers, 'bt_header_dendrite_ip') ?? null, nonceKey };
}
