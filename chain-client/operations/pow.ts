/**
 * Proof-of-work registration (`register`, spec §6.1): solve the seal for a recent block, then submit it
 * signed by the hotkey.
 */
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress, keccakAsU8a, sha256AsU8a } from '@polkadot/util-crypto';
import type { ChainClient } from '../connect';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { addressOf, checkNetuid, send, type SubmitOptions } from './common';
import { DispatchFailedError, EventMissingError, InvalidParametersError } from './errors';
import { bestBlockNumber, queryBigInt, queryBool, uidOf } from './query';

const U256_LIMIT = 1n << 256n;

/** `create_seal_hash`: `keccak256(sha256(nonce_le8 ‖ keccak256(blockHash ‖ hotkey32)))`. */
export function powSeal(blockHash: Uint8Array, hotkey: Uint8Array, nonce: bigint): Uint8Array {
  const nonceLe = new Uint8Array(8);
  new DataView(nonceLe.buffer).setBigUint64(0, nonce, true);
  return keccakAsU8a(sha256AsU8a(u8aConcat(nonceLe, keccakAsU8a(u8aConcat(blockHash, hotkey), 256))), 256);
}

/** `hash_meets_difficulty`: the seal as a big-endian U256, times `difficulty`, stays below 2²⁵⁶. */
export function sealMeetsDifficulty(seal: Uint8Array, difficulty: bigint): boolean {
  let value = 0n;
  for (const byte of seal) value = (value << 8n) | BigInt(byte);
  return value * difficulty < U256_LIMIT;
}

/** Inputs of {@link solvePow}. */
export interface SolvePowParameters {
  readonly blockHash: Uint8Array;
  /** The hotkey's 32-byte public key. */
  readonly hotkey: Uint8Array;
  readonly difficulty: bigint;
  /** @default 0n */
  readonly startNonce?: bigint;
  /** Give up after this many tries. @default 10_000_000 */
  readonly maxIterations?: number;
}

/** The first nonce from `startNonce` whose seal meets `difficulty`, with the seal; undefined when none within `maxIterations`. */
export function solvePow(params: SolvePowParameters): { nonce: bigint; seal: Uint8Array } | undefined {
  const max = params.maxIterations ?? 10_000_000;
  let nonce = params.startNonce ?? 0n;
  for (let i = 0; i < max; i++, nonce++) {
    const seal = powSeal(params.blockHash, params.hotkey, nonce);
    if (sealMeetsDifficulty(seal, params.difficulty)) return { nonce, seal };
  }
  return undefined;
}

/** Parameters of {@link powRegister}. */
export interface PowRegisterParameters extends SubmitOptions {
  /** The hotkey to register (signs the call). */
  readonly signer: Signer;
  readonly netuid: number;
  /** The coldkey that will own the hotkey. */
  readonly coldkey: string;
  /** Nonces tried per attempt. @default 10_000_000 */
  readonly maxIterations?: number;
  /** Attempts (fresh block each) when the work block gets too old before inclusion (`InvalidWorkBlock`). @default 3 */
  readonly attempts?: number;
}

/** Errors of {@link powRegister}. */
export type PowRegisterErrorType = SubmitErrorType | InvalidParametersError;

/**
 * Registers the signing hotkey on `netuid` by proof of work. Pre-flight: `SubNetRegistrationDisabled`
 * (PoW registration off — `NetworkPowRegistrationAllowed`), `HotKeyAlreadyRegisteredInSubNet`.
 * @throws InvalidParametersError when no seal is found within `maxIterations`
 * @example const { uid } = await powRegister(client, { signer: hotkey, netuid: 1, coldkey: coldkey.address });
 */
export async function powRegister(client: ChainClient, params: PowRegisterParameters): Promise<SubmitResult & { uid: number }> {
  const netuid = checkNetuid(params.netuid);
  const hotkey = addressOf(params.signer);
  const coldkey = addressOf(params.coldkey, 'coldkey');
  const pre = (error: string, remedy: string): never => {
    throw new DispatchFailedError({ pallet: 'SubtensorModule', error, remedy, preflight: true });
  };
  if (netuid === 0) pre('RegistrationNotPermittedOnRootSubnet', 'use rootRegister for the root network');
  if (!(await queryBool(client, 'SubtensorModule', 'NetworkPowRegistrationAllowed', netuid))) pre('SubNetRegistrationDisabled', `PoW registration is off on netuid ${netuid}: use burnedRegister`);
  if ((await uidOf(client, netuid, hotkey)) !== undefined) pre('HotKeyAlreadyRegisteredInSubNet', `the hotkey is already registered on netuid ${netuid}`);
  const attempts = params.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const difficulty = await queryBigInt(client, 'SubtensorModule', 'Difficulty', netuid);
    const block = await bestBlockNumber(client);
    const blockHash = await client.request('chain_getBlockHash', (api) => api.rpc.chain.getBlockHash(block));
    const solved = solvePow({ blockHash: blockHash.toU8a(), hotkey: decodeAddress(hotkey), difficulty, ...(params.maxIterations !== undefined ? { maxIterations: params.maxIterations } : {}) });
    if (!solved) throw new InvalidParametersError(`no seal meets difficulty ${difficulty} within ${params.maxIterations ?? 10_000_000} tries`, { difficulty: difficulty.toString() });
    // Bytes from a Uint8Array would be read as SCALE (length-prefixed): pass hex.
    const tx = client.api.tx.subtensorModule.register(netuid, block, solved.nonce, u8aToHex(solved.seal), hotkey, coldkey);
    try {
      const result = await send(client, tx, params.signer, params, { netuid, hotkey, coldkey });
      const event = result.events.find((e) => e.pallet === 'SubtensorModule' && e.name === 'NeuronRegistered');
      const uid = event ? Number(event.data[1]) : await uidOf(client, netuid, hotkey);
      if (uid === undefined) throw new EventMissingError('powRegister', 'SubtensorModule.NeuronRegistered', result.blockHash);
      return { ...result, uid };
    } catch (err) {
      if (!(err instanceof DispatchFailedError && err.error === 'InvalidWorkBlock') || attempt >= attempts) throw err;
    }
  }
}
