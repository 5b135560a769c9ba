/**
 * Full-state snapshots, so a restart replays only the blocks after the latest one.
 *
 * File `<dir>/snapshot-<block number, 10 digits>.bin`, written atomically (temp file, fsync, rename,
 * directory fsync), little-endian:
 *
 *     magic "TNSNAP\0\x01" | u64 block number | 32-byte state root | u32 len + meta (opaque)
 *     | entries: (u32 key len, key bytes, u32 value len, value bytes)* | u32 0xffffffff | u64 entry count
 *     | 64-byte blake2b-512 of everything before it
 *
 * The checksum is node:crypto's streaming blake2b-512, so a snapshot is written in bounded chunks
 * without first assembling the whole state in one buffer.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HexKey } from '../state/types';
import { bytesToHexKey, hexKeyToBytes, isHexKey } from '../state/hex';
import { ByteReader, ByteWriter, DecodeError } from './codec';
import { PersistenceError } from './errors';
import { atomicWriteFileSync, fsyncDirSync } from './fs-util';

const MAGIC = new Uint8Array([0x54, 0x4e, 0x53, 0x4e, 0x41, 0x50, 0x00, 0x01]); // "TNSNAP\0\x01"
const END_OF_ENTRIES = 0xffffffff;
const DIGEST_BYTES = 64;
const CHUNK_BYTES = 1 << 20;
const FILE_RE = /^snapshot-(\d{10})\.bin$/;

/** What a snapshot holds. */
export interface SnapshotData {
  readonly blockNumber: number;
  /** The state root recorded with the snapshot (checked by the store on restore). */
  readonly stateRoot: Uint8Array;
  /** Opaque caller data (e.g. the block hash and header). */
  readonly meta: Uint8Array;
  /** The entries in file order (ascending when written from `VersionedStore.entries()`). */
  readonly entries: ReadonlyArray<readonly [HexKey, Uint8Array]>;
}

/** What `writeSnapshot` takes: entries may be any iterable (streamed to disk). */
export interface SnapshotInput {
  readonly blockNumber: number;
  readonly stateRoot: Uint8Array;
  readonly meta?: Uint8Array;
  readonly entries: Iterable<readonly [HexKey, Uint8Array]>;
}

/** A snapshot file found in a data dir. */
export interface SnapshotFile {
  readonly blockNumber: number;
  readonly path: string;
}

/** The file name of block `n`'s snapshot. */
export function snapshotFileName(n: number): string {
  return `snapshot-${String(n).padStart(10, '0')}.bin`;
}

/** Snapshot files in `dir`, newest (highest block) first. Also deletes leftover temp files. */
export function listSnapshots(dir: string): SnapshotFile[] {
  const out: SnapshotFile[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.snapshot-') && name.includes('.tmp-')) {
      fs.rmSync(path.join(dir, name), { force: true });
      continue;
    }
    const m = FILE_RE.exec(name);
    if (m !== null) out.push({ blockNumber: Number(m[1]), path: path.join(dir, name) });
  }
  return out.sort((a, b) => b.blockNumber - a.blockNumber);
}

/** Writes block `input.blockNumber`'s snapshot into `dir` atomically; returns its path. */
export function writeSnapshot(dir: string, input: SnapshotInput): string {
  if (input.stateRoot.length !== 32) throw new PersistenceError('InvalidRecord', `state root must be 32 bytes, got ${input.stateRoot.length}`);
  const target = path.join(dir, snapshotFileName(input.blockNumber));
  atomicWriteFileSync(target, snapshotChunks(input));
  return target;
}

function* snapshotChunks(input: SnapshotInput): Generator<Uint8Array> {
  const hash = createHash('blake2b512');
  let w = new ByteWriter(CHUNK_BYTES + 1024);
  w.bytes(MAGIC).u64(input.blockNumber).bytes(input.stateRoot).lenBytes(input.meta ?? new Uint8Array(0));
  let count = 0;
  for (const [key, value] of input.entries) {
    if (!isHexKey(key)) throw new PersistenceError('InvalidRecord', `snapshot key is not whole-byte lowercase hex: ${String(key).slice(0, 80)}`);
    w.lenBytes(hexKeyToBytes(key)).lenBytes(value);
    count++;
    if (w.length >= CHUNK_BYTES) {
      const chunk = w.finish();
      hash.update(chunk);
      yield chunk;
      w = new ByteWriter(CHUNK_BYTES + 1024);
    }
  }
  w.u32(END_OF_ENTRIES).u64(count);
  const last = w.finish();
  hash.update(last);
  yield last;
  yield new Uint8Array(hash.digest());
}

/** Reads and verifies a snapshot file; throws `PersistenceError('SnapshotCorrupt')` when it is damaged. */
export function readSnapshot(file: string): SnapshotData {
  const buf = new Uint8Array(fs.readFileSync(file));
  const corrupt = (why: string, cause?: unknown): PersistenceError =>
    new PersistenceError('SnapshotCorrupt', `snapshot ${file} is corrupt: ${why}`, { file }, cause === undefined ? undefined : { cause });
  if (buf.length < MAGIC.length + DIGEST_BYTES) throw corrupt('too short');
  const body = buf.subarray(0, buf.length - DIGEST_BYTES);
  const digest = new Uint8Array(createHash('blake2b512').update(body).digest());
  const stored = buf.subarray(buf.length - DIGEST_BYTES);
  for (let i = 0; i < DIGEST_BYTES; i++) if (digest[i] !== stored[i]) throw corrupt('checksum mismatch');
  try {
    const r = new ByteReader(body);
    const magic = r.bytes(MAGIC.length);
    if (!MAGIC.every((b, i) => magic[i] === b)) throw corrupt('bad magic');
    const blockNumber = r.u64();
    const stateRoot = r.bytes(32);
    const meta = r.lenBytes();
    const entries: Array<readonly [HexKey, Uint8Array]> = [];
    for (;;) {
      const klen = r.u32();
      if (klen === END_OF_ENTRIES) break;
      const key = bytesToHexKey(r.bytes(klen));
      entries.push([key, r.lenBytes()]);
    }
    if (r.u64() !== entries.length) throw corrupt('entry count mismatch');
    r.end();
    return { blockNumber, stateRoot, meta, entries };
  } catch (err) {
    if (err instanceof DecodeError) throw corrupt(err.message, err);
    throw err;
  }
}

/** Deletes all but the newest `keep` snapshots in `dir`. */
export function pruneSnapshots(dir: string, keep: number): void {
  const all = listSnapshots(dir);
  let removed = false;
  for (const s of all.slice(Math.max(keep, 0))) {
    fs.rmSync(s.path, { force: true });
    removed = true;
  }
  if (removed) fsyncDirSync(dir);
}
