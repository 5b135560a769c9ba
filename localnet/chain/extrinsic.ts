/**
 * Extrinsic intake: decode per the runtime metadata, check the signature over the real signing
 * payload (call, signed extensions, spec/tx version, genesis hash, era birth block), and classify
 * what can never be valid. Nonce and fee checks need state and happen in the pool and at apply time.
 */
import type { Extrinsic } from '@polkadot/types/interfaces';
import { isReady as wasmReady, sr25519Verify as wasmSr25519Verify } from '@polkadot/wasm-crypto';
import { blake2AsHex, blake2AsU8a, ed25519Verify, signatureVerify, sr25519Verify } from '@polkadot/util-crypto';
import type { RuntimeMetadata } from '../metadata';
import type { RuntimeCall } from '../runtime/dispatch';
import { TransactionValidityError } from '../runtime/errors';
import type { AccountId, Hex } from '../runtime/primitives';
import { bytesToHex } from '../scale';

export interface SignedPart {
  readonly signer: AccountId;
  readonly nonce: number;
  readonly tip: bigint;
  /** First and last block (inclusive) in which a mortal extrinsic is valid; `null` for immortal. */
  readonly validity: { readonly birth: number; readonly death: number } | null;
}

/** An extrinsic whose encoding and signature are valid. */
export interface CheckedExtrinsic {
  readonly bytes: Uint8Array;
  readonly hash: Hex;
  readonly signed: SignedPart | null;
  readonly call: RuntimeCall;
  readonly pallet: string;
  readonly method: string;
}

export interface SignatureEnv {
  readonly genesisHash: Hex;
  readonly specVersion: number;
  readonly transactionVersion: number;
  /** The block the extrinsic would go into. */
  readonly blockNumber: number;
  /** Hash of a retained block, or undefined when it is unknown or pruned. */
  blockHash(number: number): Hex | undefined;
  /** Check era and signature. @default true (false only for fee estimates of unsigned/fake-signed calls) */
  readonly verifySignature?: boolean;
}

function invalid(reason: ConstructorParameters<typeof TransactionValidityError>[0], message: string): TransactionValidityError {
  return new TransactionValidityError(reason, message);
}

/** The 32-byte account of the signer; the runtime's address type is MultiAddress and only `Id` names an account. */
function signerAccountId(ext: Extrinsic): Uint8Array {
  const raw = ext.signer.toU8a();
  if (raw.length === 33 && raw[0] === 0) return raw.subarray(1);
  if (raw.length === 32) return raw;
  throw invalid('BadSigner', 'only MultiAddress::Id signers are supported');
}

/**
 * Verifies with the scheme the `MultiSignature` names (sr25519 and ed25519 directly; ECDSA recovers the
 * key and compares its blake2 hash). Guessing the scheme would run the slow pure-JS ed25519 first.
 */
function verifyMultiSignature(message: Uint8Array, ext: Extrinsic, signer: Uint8Array): boolean {
  const multi = (ext.inner.signature as unknown as { multiSignature: { type: string; value: { toU8a(): Uint8Array } } }).multiSignature;
  const raw = multi.value.toU8a();
  try {
    switch (multi.type) {
      case 'Sr25519':
        // The wasm schnorrkel is ~20× faster than util-crypto's pure-JS verifier.
        return raw.length === 64 && wasmReady() ? wasmSr25519Verify(raw, message, signer) : sr25519Verify(message, raw, signer);
      case 'Ed25519':
        return ed25519Verify(message, raw, signer);
      default:
        return signatureVerify(message, multi.value.toU8a(), signer).isValid;
    }
  } catch {
    return false;
  }
}

/** Decodes and authenticates an extrinsic, or throws `TransactionValidityError` saying why it is invalid. */
export function checkExtrinsic(meta: RuntimeMetadata, bytes: Uint8Array, env: SignatureEnv): CheckedExtrinsic {
  let ext: Extrinsic;
  try {
    ext = meta.registry.createType('Extrinsic', bytes);
  } catch (err) {
    throw invalid('Call', `could not decode the extrinsic: ${(err as Error).message}`);
  }
  if (ext.encodedLength !== bytes.length) throw invalid('Call', `extrinsic has ${bytes.length - ext.encodedLength} trailing bytes`);
  if (ext.version !== 4 && (ext.version & 0x7f) !== 4) throw invalid('Call', `unsupported extrinsic version ${ext.version}`);

  const callBytes = ext.method.toU8a();
  let call: RuntimeCall;
  try {
    call = meta.codecs.codecFor<RuntimeCall>(meta.callTypeId).decodeAll(callBytes);
  } catch (err) {
    throw invalid('Call', `could not decode the call arguments: ${(err as Error).message}`);
  }
  const pallet = Object.keys(call)[0]!;
  const method = Object.keys(call[pallet]!)[0]!;
  const hash = blake2AsHex(bytes, 256) as Hex;
  if (!ext.isSigned) return { bytes, hash, signed: null, call, pallet, method };

  const signerId = signerAccountId(ext);
  if (env.verifySignature === false) {
    return { bytes, hash, call, pallet, method, signed: { signer: bytesToHex(signerId) as AccountId, nonce: ext.nonce.toNumber(), tip: ext.tip.toBigInt(), validity: null } };
  }
  const era = ext.era;
  let validity: SignedPart['validity'] = null;
  let birthHash = env.genesisHash;
  if (era.isMortalEra) {
    const mortal = era.asMortalEra;
    const birth = mortal.birth(env.blockNumber);
    const death = mortal.death(env.blockNumber);
    validity = { birth, death: death - 1 };
    if (env.blockNumber >= death) throw invalid('Stale', `the extrinsic's mortal era ended at block ${death - 1}`);
    const hashAtBirth = env.blockHash(birth);
    if (!hashAtBirth) throw invalid('AncientBirthBlock', `the era's birth block ${birth} is unknown or pruned`);
    birthHash = hashAtBirth;
  }
  const inner = ext.inner.signature as unknown as { mode?: { toNumber(): number } };
  const payload = meta.registry.createType(
    'ExtrinsicPayload',
    {
      method: ext.method.toHex(),
      era,
      nonce: ext.nonce,
      tip: ext.tip,
      mode: inner.mode?.toNumber() ?? 0,
      specVersion: env.specVersion,
      transactionVersion: env.transactionVersion,
      genesisHash: env.genesisHash,
      blockHash: birthHash,
    },
    { version: 4 },
  );
  if ((inner.mode?.toNumber() ?? 0) !== 0) throw invalid('BadProof', 'CheckMetadataHash mode 1 is not supported (send mode 0)');
  let message = payload.toU8a({ method: true });
  if (message.length > 256) message = blake2AsU8a(message, 256);
  if (!verifyMultiSignature(message, ext, signerId)) {
    throw invalid('BadProof', 'bad signature (check genesis hash, spec/transaction version, era birth block and nonce)');
  }
  return {
    bytes,
    hash,
    call,
    pallet,
    method,
    signed: { signer: bytesToHex(signerId) as AccountId, nonce: ext.nonce.toNumber(), tip: ext.tip.toBigInt(), validity },
  };
}
