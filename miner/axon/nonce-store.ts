/**
 * Replay protection: the last nonce accepted per `(dendrite hotkey, dendrite uuid)`, kept in memory and in
 * an append-only file so it survives a restart (kill -9 included: each accepted nonce is written to the
 * file descriptor before the request runs; the kernel keeps it when the process dies).
 *
 * Stricter than the reference axon, which keeps this map in memory only, never prunes it, and applies the
 * time window only to a key's first request (and not at all for dendrite versions before 7.2.0): here
 * every nonce must lie inside a fixed window around the axon's clock **and** exceed the key's last one.
 * The window does not depend on any request header, so an unsigned `timeout` cannot widen it.
 *
 * Since every accepted nonce is younger than the window, a key whose last nonce has left the window can
 * be forgotten: any replay of its requests is refused by the window. That bounds memory and the file.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface NonceStoreOptions {
  /** The file that keeps nonces across restarts; `null` keeps them in memory only. */
  readonly path: string | null;
  /** How old (by the axon's clock) a nonce may be. @default 16_000 (the reference's 4 s allowance plus its 12 s default timeout) */
  readonly maxAgeMs?: number;
  /** How far ahead of the axon's clock a nonce may be (clock skew). @default 4_000 */
  readonly maxFutureMs?: number;
  /** Wall-clock nanoseconds. @default Date.now() in ns */
  readonly now?: () => bigint;
}

export const DEFAULT_NONCE_MAX_AGE_MS = 16_000;
export const DEFAULT_NONCE_MAX_FUTURE_MS = 4_000;

export type NonceVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'NonceTooOld' | 'NonceInFuture' | 'NonceReused'; readonly detail: string };

const MS = 1_000_000n;

export class NonceStore {
  private readonly last = new Map<string, bigint>();
  private readonly maxAgeNs: bigint;
  private readonly maxFutureNs: bigint;
  private readonly now: () => bigint;
  private fd: number | null = null;
  private appended = 0;

  private constructor(private readonly options: NonceStoreOptions) {
    this.maxAgeNs = BigInt(options.maxAgeMs ?? DEFAULT_NONCE_MAX_AGE_MS) * MS;
    this.maxFutureNs = BigInt(options.maxFutureMs ?? DEFAULT_NONCE_MAX_FUTURE_MS) * MS;
    this.now = options.now ?? (() => BigInt(Date.now()) * MS);
  }

  /** Opens (or creates) the store; a torn last line from a crash is ignored. */
  static open(options: NonceStoreOptions): NonceStore {
    const store = new NonceStore(options);
    if (options.path !== null) {
      if (existsSync(options.path)) {
        for (const line of readFileSync(options.path, 'utf8').split('\n')) {
          const match = /^(\S+) (\d+)$/.exec(line);
          if (match) store.remember(match[1]!, BigInt(match[2]!));
        }
      }
      store.compact();
    }
    return store;
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.last.size;
  }

  /** Whether `nonce` may be accepted for `key` now. Does not record it. */
  check(key: string, nonce: bigint): NonceVerdict {
    const now = this.now();
    if (nonce < now - this.maxAgeNs) {
      return { ok: false, code: 'NonceTooOld', detail: `Nonce is too old: acceptable delta is ${seconds(this.maxAgeNs)} seconds but request was ${seconds(now - nonce)} seconds old` };
    }
    if (nonce > now + this.maxFutureNs) {
      return { ok: false, code: 'NonceInFuture', detail: `Nonce is in the future: acceptable skew is ${seconds(this.maxFutureNs)} seconds but request was ${seconds(nonce - now)} seconds ahead` };
    }
    const last = this.last.get(key);
    if (last !== undefined && nonce <= last) return { ok: false, code: 'NonceReused', detail: 'Nonce is too old, a newer one was last processed' };
    return { ok: true };
  }

  /** Records an accepted nonce (call right after a successful {@link check}, in the same tick). */
  commit(key: string, nonce: bigint): void {
    this.remember(key, nonce);
    if (this.fd === null) return;
    writeSync(this.fd, `${key} ${nonce}\n`);
    if (++this.appended > 1024 + 4 * this.last.size) this.compact();
  }

  /** Forgets keys whose last nonce left the window (and rewrites the file with the live ones). */
  prune(): void {
    const horizon = this.now() - this.maxAgeNs;
    for (const [key, nonce] of this.last) if (nonce < horizon) this.last.delete(key);
    if (this.options.path !== null) this.compact();
  }

  close(): void {
    if (this.fd !== null) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private remember(key: string, nonce: bigint): void {
    const last = this.last.get(key);
    if (last === undefined || nonce > last) this.last.set(key, nonce);
  }

  /** Rewrites the file with one line per live key, atomically (write, fsync, rename), and reopens it for appending. */
  private compact(): void {
    const path = this.options.path!;
    const horizon = this.now() - this.maxAgeNs;
    let text = '';
    for (const [key, nonce] of this.last) {
      if (nonce < horizon) this.last.delete(key);
      else text += `${key} ${nonce}\n`;
    }
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    const tmpFd = openSync(tmp, 'w', 0o600);
    writeSync(tmpFd, text);
    fsyncSync(tmpFd);
    closeSync(tmpFd);
    if (this.fd !== null) closeSync(this.fd);
    renameSync(tmp, path);
    this.fd = openSync(path, 'a', 0o600);
    this.appended = 0;
  }
}

function seconds(ns: bigint): string {
  return (Number(ns) / 1e9).toFixed(2);
}
