/**
 * The node's append-only block log: every finalized block, durable before it is reported finalized.
 *
 * Data dir layout: `blocks.log` (this log), `LOCK` (see `lock.ts`), `snapshot-*.bin` (see
 * `snapshot.ts`).
 *
 * `blocks.log` format (little-endian):
 *
 *     file header: "TNBLKLOG" | u32 format version (1) | u32 reserved (0)            (16 bytes)
 *     record*:     u32 body length | body | 32-byte blake2_256(u32 body length ‖ body)
 *     body:        u32 block number | u32 len + header | u32 count + (u32 len + extrinsic)*
 *                  | u32 len + payload
 *
 * Records are consecutive by block number. `append` writes the record at the end of the last good
 * record (positional write) and fsyncs before returning. A `kill -9` (or power loss) while appending
 * leaves at most one incomplete record at the tail: `open` keeps every record whose checksum holds,
 * truncates the torn tail and reports it. Bad bytes followed by a valid record are damage, not a torn
 * append: they are reported as `BlockLogCorrupt` instead of silently dropping finalized blocks.
 *
 * How the chain uses it (sketch):
 *
 *     await cryptoWaitReady();                      // WASM blake2: ~3x faster checksums and roots
 *     const { log, snapshot, replay } = BlockLog.open(dataDir, { minReplayBlocks: 256 });
 *     const store = snapshot ? VersionedStore.fromEntries(snapshot.blockNumber, snapshot.entries,
 *       { expectedRoot: snapshot.stateRoot }) : new VersionedStore();   // else: build genesis first
 *     for (const r of replay) reExecute(r);         // must commit the same changes => same root
 *     // per new block: execute -> store.commitBlock(n, overlay.changes()) -> log.append(record)
 *     //                -> only now report it finalized; every S blocks: log.writeSnapshot({...})
 *     // (with snapshots every S blocks, keepSnapshots >= ceil(256 / S) + 1 keeps one old enough)
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ByteReader, ByteWriter, DecodeError } from './codec';
import { PersistenceError } from './errors';
import { fsyncDirSync, readAtSync, writeAllSync, atomicWriteFileSync } from './fs-util';
import { DataDirLock } from './lock';
import { listSnapshots, pruneSnapshots, readSnapshot, writeSnapshot, type SnapshotData, type SnapshotInput } from './snapshot';

/** File name of the log inside a data dir. */
export const BLOCK_LOG_FILE = 'blocks.log';

const FILE_MAGIC = new Uint8Array([0x54, 0x4e, 0x42, 0x4c, 0x4b, 0x4c, 0x4f, 0x47]); // "TNBLKLOG"
const FORMAT_VERSION = 1;
const FILE_HEADER_BYTES = 16;
const LEN_BYTES = 4;
const CHECKSUM_BYTES = 32;
/** Upper bound on one record's body; a length field above it can only be garbage. */
const MAX_BODY_BYTES = 1 << 30;

/** One finalized block as the chain needs it to serve and to replay it deterministically. */
export interface BlockLogRecord {
  readonly number: number;
  /** SCALE-encoded header. */
  readonly header: Uint8Array;
  /** SCALE-encoded extrinsics in block order. */
  readonly extrinsics: readonly Uint8Array[];
  /** Opaque replay data chosen by the chain (inherent data, seeds, …); empty when unused. */
  readonly payload: Uint8Array;
}

/** What `open` found at the tail of the log. */
export interface BlockLogRecovery {
  /** Torn records removed from the tail (0 or 1: only one append can be in flight). */
  readonly droppedRecords: number;
  /** Bytes removed from the tail. */
  readonly droppedBytes: number;
  /** File offset the log was truncated to, or null when it was intact. */
  readonly truncatedAt: number | null;
}

/** Options of {@link BlockLog.open}. */
export interface BlockLogOptions {
  /** Snapshots kept on disk after `writeSnapshot` (default 2, at least 1). */
  readonly keepSnapshots?: number;
  /**
   * Only use a snapshot at least this many blocks older than the log's last record (default 0), so
   * that replaying rebuilds the state history of those blocks (e.g. 256 to serve queries at the last
   * 256 blocks right after a restart). Without such a snapshot the whole log is replayed.
   */
  readonly minReplayBlocks?: number;
}

/** What {@link BlockLog.open} returns. */
export interface OpenedBlockLog {
  readonly log: BlockLog;
  /**
   * The newest valid snapshot that the log can continue from (its block is in the log, or is the
   * block just before the log's first record, or the log is empty) and that honours
   * `minReplayBlocks`, or null.
   */
  readonly snapshot: SnapshotData | null;
  /** Records to replay: every record after the snapshot's block (all records without a snapshot). */
  readonly replay: readonly BlockLogRecord[];
  readonly recovery: BlockLogRecovery;
}

function checksum(frameWithoutChecksum: Uint8Array): Uint8Array {
  return blake2AsU8a(frameWithoutChecksum, 256);
}

function encodeFileHeader(): Uint8Array {
  return new ByteWriter(FILE_HEADER_BYTES).bytes(FILE_MAGIC).u32(FORMAT_VERSION).u32(0).finish().slice();
}

/** The full on-disk frame of `record`. */
export function encodeRecordFrame(record: BlockLogRecord): Uint8Array {
  if (!Number.isInteger(record.number) || record.number < 0 || record.number > 0xffffffff) {
    throw new PersistenceError('InvalidRecord', `block number must be a u32, got ${record.number}`);
  }
  const w = new ByteWriter(64 + record.header.length + record.payload.length + record.extrinsics.reduce((n, x) => n + 4 + x.length, 0));
  w.u32(0); // body length, patched below
  w.u32(record.number).lenBytes(record.header).u32(record.extrinsics.length);
  for (const x of record.extrinsics) w.lenBytes(x);
  w.lenBytes(record.payload);
  const bodyLen = w.length - LEN_BYTES;
  if (bodyLen > MAX_BODY_BYTES) throw new PersistenceError('InvalidRecord', `record of block ${record.number} is too large (${bodyLen} bytes)`);
  const withLen = w.finish();
  new DataView(withLen.buffer, withLen.byteOffset).setUint32(0, bodyLen, true);
  const frame = new Uint8Array(withLen.length + CHECKSUM_BYTES);
  frame.set(withLen);
  frame.set(checksum(withLen), withLen.length);
  return frame;
}

function decodeBody(body: Uint8Array): BlockLogRecord {
  const r = new ByteReader(body);
  const number = r.u32();
  const header = r.lenBytes();
  const n = r.u32();
  if (n > r.remaining / 4) throw new DecodeError(`extrinsic count ${n} exceeds the record`);
  const extrinsics: Uint8Array[] = [];
  for (let i = 0; i < n; i++) extrinsics.push(r.lenBytes());
  const payload = r.lenBytes();
  r.end();
  return { number, header, extrinsics, payload };
}

function checksumOk(buf: Uint8Array, frameStart: number, bodyLen: number): boolean {
  const end = frameStart + LEN_BYTES + bodyLen;
  const expected = checksum(buf.subarray(frameStart, end));
  for (let i = 0; i < CHECKSUM_BYTES; i++) if (buf[end + i] !== expected[i]) return false;
  return true;
}

interface ScanResult {
  /** Frame start offsets of the good records, in order. */
  readonly offsets: number[];
  readonly firstNumber: number | undefined;
  /** End of the last good record (where the next append goes). */
  readonly goodEnd: number;
  readonly tornRecords: number;
}

/** Smallest valid body: block number, header length, extrinsic count, payload length. */
const MIN_BODY_BYTES = 16;

/**
 * Whether a valid record with block number >= `minNumber` (any number when undefined) starts anywhere
 * in `buf` after `from`. Used to tell a torn tail (nothing valid after the bad bytes) from damage in
 * the middle of the log. Candidates are pre-filtered on length and block number before hashing.
 */
function hasLaterRecord(buf: Uint8Array, view: DataView, from: number, minNumber: number | undefined): boolean {
  for (let q = from + 1; q + LEN_BYTES + MIN_BODY_BYTES + CHECKSUM_BYTES <= buf.length; q++) {
    const bodyLen = view.getUint32(q, true);
    if (bodyLen < MIN_BODY_BYTES || q + LEN_BYTES + bodyLen + CHECKSUM_BYTES > buf.length) continue;
    const number = view.getUint32(q + LEN_BYTES, true);
    if (minNumber !== undefined && (number < minNumber || number - minNumber > buf.length)) continue;
    if (checksumOk(buf, q, bodyLen)) return true;
  }
  return false;
}

/** Validates every record of the log image `buf` and locates the torn tail, if any. */
function scan(buf: Uint8Array, file: string): ScanResult {
  const corrupt = (offset: number, why: string): PersistenceError =>
    new PersistenceError('BlockLogCorrupt', `${file} is corrupt at offset ${offset}: ${why}`, { file, offset });
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const offsets: number[] = [];
  let firstNumber: number | undefined;
  let pos = FILE_HEADER_BYTES;
  while (pos < buf.length) {
    const remaining = buf.length - pos;
    const bodyLen = remaining >= LEN_BYTES ? view.getUint32(pos, true) : -1;
    const frameLen = LEN_BYTES + bodyLen + CHECKSUM_BYTES;
    if (bodyLen < MIN_BODY_BYTES || bodyLen > MAX_BODY_BYTES || frameLen > remaining || !checksumOk(buf, pos, bodyLen)) {
      // Only one append is ever in flight, so a crash leaves at most one partial record after the last
      // good one. If a valid record follows the bad bytes, they are damage, not a torn append.
      const next = firstNumber === undefined ? undefined : firstNumber + offsets.length;
      if (hasLaterRecord(buf, view, pos, next)) throw corrupt(pos, 'invalid record followed by valid records');
      return { offsets, firstNumber, goodEnd: pos, tornRecords: 1 };
    }
    const number = view.getUint32(pos + LEN_BYTES, true);
    if (firstNumber === undefined) firstNumber = number;
    else if (number !== firstNumber + offsets.length) throw corrupt(pos, `block ${number} follows block ${firstNumber + offsets.length - 1}`);
    offsets.push(pos);
    pos += frameLen;
  }
  return { offsets, firstNumber, goodEnd: pos, tornRecords: 0 };
}

/** An open block log with its data-dir lock; see the module comment. */
export class BlockLog {
  /** Set when a failed append could not be rolled back: the file's tail is unknown. */
  private poisoned = false;

  private constructor(
    /** The data dir. */
    readonly dir: string,
    private fd: number,
    private readonly lock: DataDirLock,
    private readonly offsets: number[],
    private first: number | undefined,
    private end: number,
    private readonly keepSnapshots: number,
  ) {}

  /**
   * Opens (creating when needed) the log in data dir `dir`: takes the lock, verifies every record,
   * truncates a torn tail, and loads the newest usable snapshot plus the records to replay after it.
   */
  static open(dir: string, options: BlockLogOptions = {}): OpenedBlockLog {
    const keepSnapshots = options.keepSnapshots ?? 2;
    const minReplayBlocks = options.minReplayBlocks ?? 0;
    if (!Number.isInteger(keepSnapshots) || keepSnapshots < 1) throw new PersistenceError('InvalidRecord', `keepSnapshots must be an integer >= 1, got ${keepSnapshots}`);
    if (!Number.isInteger(minReplayBlocks) || minReplayBlocks < 0) throw new PersistenceError('InvalidRecord', `minReplayBlocks must be an integer >= 0, got ${minReplayBlocks}`);
    fs.mkdirSync(dir, { recursive: true });
    const lock = DataDirLock.acquire(dir);
    let fd: number | undefined;
    try {
      const file = path.join(dir, BLOCK_LOG_FILE);
      ensureLogFile(file);
      fd = fs.openSync(file, 'r+');
      const buf = new Uint8Array(fs.readFileSync(file));
      checkFileHeader(buf, file);
      const s = scan(buf, file);
      let recovery: BlockLogRecovery = { droppedRecords: 0, droppedBytes: 0, truncatedAt: null };
      if (s.goodEnd < buf.length) {
        fs.ftruncateSync(fd, s.goodEnd);
        fs.fsyncSync(fd);
        recovery = { droppedRecords: s.tornRecords, droppedBytes: buf.length - s.goodEnd, truncatedAt: s.goodEnd };
      }
      const log = new BlockLog(dir, fd, lock, s.offsets, s.firstNumber, s.goodEnd, keepSnapshots);
      const snapshot = log.latestUsableSnapshot(minReplayBlocks);
      const from = snapshot === null ? s.firstNumber ?? 0 : snapshot.blockNumber + 1;
      const replay: BlockLogRecord[] = [];
      const last = log.lastNumber;
      if (s.firstNumber !== undefined && last !== undefined) {
        for (let n = Math.max(from, s.firstNumber); n <= last; n++) replay.push(decodeFrameAt(buf, s.offsets[n - s.firstNumber]!, file));
      }
      return { log, snapshot, replay, recovery };
    } catch (err) {
      if (fd !== undefined) fs.closeSync(fd);
      lock.release();
      throw err;
    }
  }

  /** Block number of the first record, or undefined when the log is empty. */
  get firstNumber(): number | undefined {
    return this.first;
  }

  /** Block number of the last record, or undefined when the log is empty. */
  get lastNumber(): number | undefined {
    return this.first === undefined ? undefined : this.first + this.offsets.length - 1;
  }

  /** Number of records. */
  get count(): number {
    return this.offsets.length;
  }

  /** Size of the log file in bytes. */
  get byteLength(): number {
    return this.end;
  }

  /**
   * Appends `record` (block number = last + 1, any number for the first record) and fsyncs it:
   * when this returns the block survives a crash. On a write error the log rolls the file back to
   * the previous record and throws `WriteFailed` (if even that fails, the log refuses further use).
   */
  append(record: BlockLogRecord): void {
    this.assertOpen();
    const last = this.lastNumber;
    if (last !== undefined && record.number !== last + 1) {
      throw new PersistenceError('NonConsecutiveBlock', `cannot append block ${record.number} after block ${last}`, { number: record.number, last });
    }
    const frame = encodeRecordFrame(record);
    try {
      writeAllSync(this.fd, frame, this.end);
      fs.fsyncSync(this.fd);
    } catch (err) {
      try {
        fs.ftruncateSync(this.fd, this.end);
        fs.fsyncSync(this.fd);
      } catch {
        this.poisoned = true;
      }
      throw new PersistenceError('WriteFailed', `appending block ${record.number} to ${this.dir} failed: ${(err as Error).message}`, { number: record.number }, { cause: err });
    }
    if (this.first === undefined) this.first = record.number;
    this.offsets.push(this.end);
    this.end += frame.length;
  }

  /** Reads (and re-verifies) block `number`'s record. */
  read(number: number): BlockLogRecord {
    this.assertOpen();
    const last = this.lastNumber;
    if (this.first === undefined || last === undefined || !Number.isInteger(number) || number < this.first || number > last) {
      throw new PersistenceError('UnknownRecord', `the block log holds no block ${number}`, { number, first: this.first, last });
    }
    const i = number - this.first;
    const start = this.offsets[i]!;
    const stop = i + 1 < this.offsets.length ? this.offsets[i + 1]! : this.end;
    const frame = readAtSync(this.fd, stop - start, start);
    return decodeFrameAt(frame, 0, path.join(this.dir, BLOCK_LOG_FILE), start);
  }

  /** Records `from`..`to` (inclusive; defaults: the whole log), read one at a time. */
  *records(from?: number, to?: number): IterableIterator<BlockLogRecord> {
    const first = this.first;
    const last = this.lastNumber;
    if (first === undefined || last === undefined) return;
    for (let n = Math.max(from ?? first, first); n <= Math.min(to ?? last, last); n++) yield this.read(n);
  }

  /**
   * Writes a full-state snapshot at `input.blockNumber` atomically, then deletes snapshots beyond
   * the newest `keepSnapshots`. The block should be in the log already (the chain snapshots
   * finalized blocks); a later `open` only uses snapshots the log can continue from.
   */
  writeSnapshot(input: SnapshotInput): string {
    this.assertOpen();
    const file = writeSnapshot(this.dir, input);
    pruneSnapshots(this.dir, this.keepSnapshots);
    return file;
  }

  /** Closes the file and releases the lock. Idempotent. */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      fs.closeSync(fd);
    } finally {
      this.lock.release();
    }
  }

  /** Whether the log is open (not closed). */
  get isOpen(): boolean {
    return this.fd >= 0;
  }

  private latestUsableSnapshot(minReplayBlocks: number): SnapshotData | null {
    const first = this.first;
    const last = this.lastNumber;
    for (const f of listSnapshots(this.dir)) {
      const usable = first === undefined || last === undefined ? true : f.blockNumber >= first - 1 && f.blockNumber <= last - minReplayBlocks;
      if (!usable) continue;
      try {
        const snap = readSnapshot(f.path);
        if (snap.blockNumber === f.blockNumber) return snap;
      } catch (err) {
        if (!(err instanceof PersistenceError && err.code === 'SnapshotCorrupt')) throw err;
        // A damaged snapshot is skipped; an older one (or a replay from the log's start) takes over.
      }
    }
    return null;
  }

  private assertOpen(): void {
    if (this.fd < 0) throw new PersistenceError('LogClosed', `the block log in ${this.dir} is closed`);
    if (this.poisoned) throw new PersistenceError('LogClosed', `the block log in ${this.dir} failed a write it could not roll back; reopen it`);
  }
}

function ensureLogFile(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    atomicWriteFileSync(file, [encodeFileHeader()]);
    return;
  }
  if (size < FILE_HEADER_BYTES) {
    // Only reachable if the file was truncated externally (creation is atomic); an empty log is safe to recreate.
    const head = new Uint8Array(fs.readFileSync(file));
    const expected = encodeFileHeader();
    if (head.every((b, i) => b === expected[i])) atomicWriteFileSync(file, [expected]);
  }
  fsyncDirSync(path.dirname(file));
}

function checkFileHeader(buf: Uint8Array, file: string): void {
  const expected = encodeFileHeader();
  if (buf.length < FILE_HEADER_BYTES || !expected.every((b, i) => buf[i] === b)) {
    throw new PersistenceError('BlockLogCorrupt', `${file} is not a tensornet block log (format ${FORMAT_VERSION})`, { file, offset: 0 });
  }
}

function decodeFrameAt(buf: Uint8Array, pos: number, file: string, fileOffset = pos): BlockLogRecord {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bodyLen = buf.length - pos >= LEN_BYTES ? view.getUint32(pos, true) : -1;
  if (bodyLen < 0 || pos + LEN_BYTES + bodyLen + CHECKSUM_BYTES > buf.length || !checksumOk(buf, pos, bodyLen)) {
    throw new PersistenceError('BlockLogCorrupt', `${file}: record at offset ${fileOffset} failed verification`, { file, offset: fileOffset });
  }
  try {
    return decodeBody(buf.subarray(pos + LEN_BYTES, pos + LEN_BYTES + bodyLen));
  } catch (err) {
    if (err instanceof DecodeError) throw new PersistenceError('BlockLogCorrupt', `${file}: record at offset ${fileOffset} does not decode: ${err.message}`, { file, offset: fileOffset }, { cause: err });
    throw err;
  }
}
