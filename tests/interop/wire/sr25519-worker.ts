/**
 * The sr25519 behind the Python harness's `bittensor_wallet.Keypair` shim: a persistent child process
 * answering one JSON line per request line on stdin/stdout. It uses @polkadot/util-crypto directly (its
 * wasm is built from the same Rust schnorrkel crate bittensor-wallet links), never tensornet's wallet code,
 * so the reference side of the interop run signs and verifies independently of the code under test.
 *
 * Requests: `{id, op, ...}`; answers: `{id, ok: true, ...}` or `{id, ok: false, error}`.
 * - `fromUri {uri}` → `{address, publicKey}` (the secret stays in this process, keyed by address)
 * - `sign {address, message}` → `{signature}` (message and signature hex, no 0x)
 * - `verify {publicKey, message, signature}` → `{valid}` (exactly the bytes given; no `<Bytes>` retry here)
 * - `decode {address}` → `{publicKey}`; `encode {publicKey, ss58Format}` → `{address}`
 */
import { createInterface } from 'node:readline';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import {
  cryptoWaitReady, decodeAddress, encodeAddress, keyExtractSuri, keyFromPath, mnemonicToMiniSecret, sr25519PairFromSeed, sr25519Sign, sr25519Verify,
} from '@polkadot/util-crypto';

const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

interface Pair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const pairs = new Map<string, Pair>();

function hex(bytes: Uint8Array): string {
  return u8aToHex(bytes).slice(2);
}

function bytesOf(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(value)) throw new Error(`${what} must be a hex string`);
  return hexToU8a(`0x${value}`);
}

function answer(op: string, request: Record<string, unknown>): Record<string, unknown> {
  switch (op) {
    case 'fromUri': {
      const uri = String(request['uri']);
      const { phrase, path, password } = keyExtractSuri(uri.startsWith('//') ? `${DEV_PHRASE}${uri}` : uri);
      const pair = keyFromPath(sr25519PairFromSeed(mnemonicToMiniSecret(phrase, password)), path, 'sr25519');
      const address = encodeAddress(pair.publicKey, 42);
      pairs.set(address, pair);
      return { address, publicKey: hex(pair.publicKey) };
    }
    case 'sign': {
      const pair = pairs.get(String(request['address']));
      if (pair === undefined) throw new Error(`no secret key for ${String(request['address'])}`);
      return { signature: hex(sr25519Sign(bytesOf(request['message'], 'message'), pair)) };
    }
    case 'verify': {
      const signature = bytesOf(request['signature'], 'signature');
      const publicKey = bytesOf(request['publicKey'], 'publicKey');
      if (signature.length !== 64) throw new Error('Invalid signature');
      if (publicKey.length !== 32) throw new Error('Invalid public key length');
      return { valid: sr25519Verify(bytesOf(request['message'], 'message'), signature, publicKey) };
    }
    case 'decode':
      return { publicKey: hex(decodeAddress(String(request['address']))) };
    case 'encode':
      return { address: encodeAddress(bytesOf(request['publicKey'], 'publicKey'), Number(request['ss58Format'] ?? 42)) };
    default:
      throw new Error(`unknown op ${op}`);
  }
}

async function main(): Promise<void> {
  await cryptoWaitReady();
  const lines = createInterface({ input: process.stdin });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let id: unknown = null;
    try {
      const request = JSON.parse(line) as Record<string, unknown>;
      id = request['id'];
      process.stdout.write(`${JSON.stringify({ id, ok: true, ...answer(String(request['op']), request) })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ id, ok: false, error: err instanceof Error ? err.message : String(err) })}\n`);
    }
  }
}

void main();
