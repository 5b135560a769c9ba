/**
 * The native half of the Python reference environment: py-sr25519-bindings (`sr25519`) and
 * py-bip39-bindings (`bip39`) are Rust extensions that the package mirror does not carry, so the
 * Python shims of those two modules (py/shims/) send each call here as one JSON line on stdin and read
 * one JSON line back. The real work is done by @polkadot/util-crypto (schnorrkel compiled to wasm, the
 * same mnemonic → mini-secret → sr25519 derivation substrate-interface uses).
 *
 * Secret keys cross this boundary in py-sr25519-bindings' form, schnorrkel `SecretKey::to_bytes`
 * (canonical scalar ‖ nonce). @polkadot/wasm-crypto holds them in `to_ed25519_bytes` form (scalar·8 ‖
 * nonce); the conversion is done here with bigint arithmetic, independently of tensornet's bit-shift
 * helpers, and every secret produced is checked against its public key with @noble/curves' Ristretto
 * (public = scalar·B), so a wrong conversion cannot pass silently.
 *
 * Request: {"id": n, "op": "...", ...hex args}; response: {"id": n, "result": ...} or {"id": n, "error": "..."}.
 */
import { createInterface } from 'node:readline';
import { RistrettoPoint, ed25519 } from '@noble/curves/ed25519';
import {
  cryptoWaitReady, mnemonicGenerate, mnemonicToMiniSecret, mnemonicValidate, sr25519DeriveHard, sr25519DeriveSoft, sr25519PairFromSeed,
  sr25519Sign, sr25519Verify,
} from '@polkadot/util-crypto';

const L = ed25519.CURVE.n;

function fromHex(hex: unknown, what: string): Uint8Array {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/i.test(hex)) throw new Error(`${what} must be hex`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function leToBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

function bigToLe32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new Error('scalar does not fit 32 bytes');
  return out;
}

/** schnorrkel `SecretKey::from_bytes`: the scalar must be canonical (< ℓ), as schnorrkel 0.11 requires. */
function canonicalScalar(secret: Uint8Array): bigint {
  if (secret.length !== 64) throw new Error('secret key must be 64 bytes');
  const k = leToBig(secret.subarray(0, 32));
  if (k >= L) throw new Error('ScalarFormatError: secret scalar is not canonical');
  return k;
}

/** `to_bytes` (scalar ‖ nonce) → `to_ed25519_bytes` (scalar·8 ‖ nonce). */
function toWasmForm(secret: Uint8Array): Uint8Array {
  const k = canonicalScalar(secret);
  const out = new Uint8Array(64);
  out.set(bigToLe32(k * 8n), 0);
  out.set(secret.subarray(32), 32);
  return out;
}

/** `to_ed25519_bytes` → `to_bytes`. */
function fromWasmForm(secret: Uint8Array): Uint8Array {
  const k8 = leToBig(secret.subarray(0, 32));
  if (k8 % 8n !== 0n) throw new Error('wasm secret scalar is not a multiple of the cofactor');
  const out = new Uint8Array(64);
  out.set(bigToLe32(k8 / 8n), 0);
  out.set(secret.subarray(32), 32);
  return out;
}

function publicOf(secret: Uint8Array): Uint8Array {
  const k = canonicalScalar(secret);
  if (k === 0n) throw new Error('zero scalar');
  return RistrettoPoint.BASE.multiply(k).toRawBytes();
}

/** A pair from the wasm side, in py-sr25519-bindings' form, its public key cross-checked. */
function checkedPair(pair: { publicKey: Uint8Array; secretKey: Uint8Array }): [string, string] {
  const secret = fromWasmForm(pair.secretKey);
  if (toHex(publicOf(secret)) !== toHex(pair.publicKey)) throw new Error('public key does not match scalar·B (secret form conversion broken)');
  return [toHex(pair.publicKey), toHex(secret)];
}

type Args = Record<string, unknown>;

const ops: Record<string, (a: Args) => unknown> = {
  // py-bip39-bindings
  bip39_generate: (a) => mnemonicGenerate(Number(a['words']) as 12 | 15 | 18 | 21 | 24),
  bip39_validate: (a) => mnemonicValidate(String(a['mnemonic'])),
  bip39_to_mini_secret: (a) => {
    if (a['password'] !== '' && a['password'] !== undefined) throw new Error('bip39 passwords are not used by the wallet code');
    const phrase = String(a['mnemonic']);
    if (!mnemonicValidate(phrase)) throw new Error('Invalid mnemonic');
    return toHex(mnemonicToMiniSecret(phrase));
  },
  // py-sr25519-bindings
  pair_from_seed: (a) => checkedPair(sr25519PairFromSeed(fromHex(a['seed'], 'seed'))),
  public_from_secret_key: (a) => toHex(publicOf(fromHex(a['secret'], 'secret'))),
  sign: (a) => {
    const publicKey = fromHex(a['public'], 'public');
    const secret = fromHex(a['secret'], 'secret');
    if (toHex(publicOf(secret)) !== toHex(publicKey)) throw new Error('public key does not belong to the secret key');
    return toHex(sr25519Sign(fromHex(a['message'], 'message'), { publicKey, secretKey: toWasmForm(secret) }));
  },
  verify: (a) => {
    try {
      return sr25519Verify(fromHex(a['message'], 'message'), fromHex(a['signature'], 'signature'), fromHex(a['public'], 'public'));
    } catch {
      return false;
    }
  },
  hard_derive_keypair: (a) => derive(a, true),
  derive_keypair: (a) => derive(a, false),
};

function derive(a: Args, hard: boolean): [string, string, string] {
  if (typeof a['derive_id'] === 'string' && a['derive_id'].length > 0) throw new Error('only the empty derivation id is supported (substrate-interface passes b"")');
  const chainCode = fromHex(a['chain_code'], 'chain_code');
  const pair = { publicKey: fromHex(a['public'], 'public'), secretKey: toWasmForm(fromHex(a['secret'], 'secret')) };
  const child = hard ? sr25519DeriveHard(pair, chainCode) : sr25519DeriveSoft(pair, chainCode);
  const [pub, secret] = checkedPair(child);
  // The returned chain code is unused by substrate-interface (it re-derives each junction's own code).
  return [toHex(chainCode), pub, secret];
}

async function main(): Promise<void> {
  await cryptoWaitReady();
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let id: unknown = null;
    try {
      const req = JSON.parse(line) as Args;
      id = req['id'];
      const op = ops[String(req['op'])];
      if (!op) throw new Error(`unknown op ${String(req['op'])}`);
      process.stdout.write(`${JSON.stringify({ id, result: op(req) })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ id, error: err instanceof Error ? err.message : String(err) })}\n`);
    }
  }
}

void main();
