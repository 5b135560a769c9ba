/**
 * BlockLog: durable appends, torn-tail recovery at every byte offset of the last record, corruption
 * detection, the data-dir lock, snapshots, and a restart that must reproduce the state root of a
 * from-scratch replay.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BLOCK_LOG_FILE, BlockLog, encodeRecordFrame, type BlockLogRecord } from '../../localnet/persistence/block-log';
import { PersistenceError } from '../../localnet/persistence/errors';
import { LOCK_FILE } from '../../localnet/persistence/lock';
import { listSnapshots, readSnapshot, snapshotFileName } from '../../localnet/persistence/snapshot';
import { StateOverlay } from '../../localnet/state/overlay';
import { computeStateRootFromScratch } from '../../localnet/state/root';
import { VersionedStore } from '../../localnet/state/store';
import type { HexKey } from '../../localnet/state/types';
import { recordFor } from './helpers/block-log-records';
import { expectThrownCode } from '../helpers/expect-code';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tensornet-blocklog-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const expectCode = (fn: () => unknown, code: string): PersistenceError => expectThrownCode(fn, PersistenceError, code);

function expectRecord(got: BlockLogRecord, n: number): void {
  const want = recordFor(n);
  expect(got.number).toBe(n);
  expect(Buffer.from(got.header).equals(Buffer.from(want.header))).toBe(true);
  expect(got.extrinsics.map((x) => Buffer.from(x).toString('hex'))).toEqual(want.extrinsics.map((x) => Buffer.from(x).toString('hex')));
  expect(Buffer.from(got.payload).equals(Buffer.from(want.payload))).toBe(true);
}

describe('BlockLog', () => {
  it('appends, reads back, and reopens with every record', () => {
    const dir = tempDir();
    const { log, replay, snapshot, recovery } = BlockLog.open(dir);
    expect(replay).toEqual([]);
    expect(snapshot).toBeNull();
    expect(recovery).toEqual({ droppedRecords: 0, droppedBytes: 0, truncatedAt: null });
    for (let n = 5; n < 25; n++) log.append(recordFor(n));
    expect(log.firstNumber).toBe(5);
    expect(log.lastNumber).toBe(24);
    expectRecord(log.read(17), 17);
    expect([...log.records(20)].map((r) => r.number)).toEqual([20, 21, 22, 23, 24]);
    expectCode(() => log.read(4), 'UnknownRecord');
    expectCode(() => log.append(recordFor(26)), 'NonConsecutiveBlock');
    log.close();
    expectCode(() => log.append(recordFor(25)), 'LogClosed');

    const again = BlockLog.open(dir);
    expect(again.replay.map((r) => r.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 5));
    again.replay.forEach((r) => expectRecord(r, r.number));
    again.log.append(recordFor(25));
    again.log.close();
  });

  it('recovers from a torn last record cut at every byte offset', () => {
    const dir = tempDir();
    const { log } = BlockLog.open(dir);
    // Record 5 is small (no extrinsics, ~200 bytes), so this stays a few hundred reopenings.
    for (let n = 0; n < 5; n++) log.append(recordFor(n));
    const goodEnd = log.byteLength;
    log.append(recordFor(5));
    log.close();
    const full = fs.readFileSync(path.join(dir, BLOCK_LOG_FILE));
    expect(full.length - goodEnd).toBe(encodeRecordFrame(recordFor(5)).length);

    for (let cut = goodEnd; cut < full.length; cut++) {
      fs.writeFileSync(path.join(dir, BLOCK_LOG_FILE), full.subarray(0, cut));
      const opened = BlockLog.open(dir);
      expect(opened.replay.map((r) => r.number)).toEqual([0, 1, 2, 3, 4]);
      expect(opened.recovery).toEqual(
        cut === goodEnd ? { droppedRecords: 0, droppedBytes: 0, truncatedAt: null } : { droppedRecords: 1, droppedBytes: cut - goodEnd, truncatedAt: goodEnd },
      );
      expect(fs.statSync(path.join(dir, BLOCK_LOG_FILE)).size).toBe(goodEnd);
      opened.log.close();
    }
    // After recovery the log continues normally.
    const { log: cont } = BlockLog.open(dir);
    cont.append(recordFor(5));
    expectRecord(cont.read(5), 5);
    cont.close();
  });

  it('treats a damaged last record (bit flip or zero fill) as torn, and damage before valid records as corruption', () => {
    const dir = tempDir();
    const { log } = BlockLog.open(dir);
    for (let n = 0; n < 6; n++) log.append(recordFor(n));
    log.close();
    const file = path.join(dir, BLOCK_LOG_FILE);
    const full = fs.readFileSync(file);
    const lastStart = full.length - encodeRecordFrame(recordFor(5)).length;

    // Bit flip inside the last record's body.
    const flipped = Buffer.from(full);
    flipped[lastStart + 40]! ^= 0x10;
    fs.writeFileSync(file, flipped);
    let opened = BlockLog.open(dir);
    expect(opened.replay.map((r) => r.number)).toEqual([0, 1, 2, 3, 4]);
    expect(opened.recovery.droppedRecords).toBe(1);
    opened.log.close();

    // Zero fill where the last record should be (a crash that extended the file but lost the data).
    const zeroed = Buffer.concat([full.subarray(0, lastStart), Buffer.alloc(full.length - lastStart)]);
    fs.writeFileSync(file, zeroed);
    opened = BlockLog.open(dir);
    expect(opened.log.lastNumber).toBe(4);
    opened.log.close();

    // A flipped byte in record 2 with valid records after it: refuse, keep the file untouched.
    const middle = Buffer.from(full);
    middle[lastStart - 200]! ^= 0x01;
    fs.writeFileSync(file, middle);
    const err = expectCode(() => BlockLog.open(dir), 'BlockLogCorrupt');
    expect(err.details.offset).toBeLessThan(lastStart);
    expect(fs.readFileSync(file).equals(middle)).toBe(true);
    // The failed open released the lock.
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);

    fs.writeFileSync(file, Buffer.from('not a block log at all'));
    expectCode(() => BlockLog.open(dir), 'BlockLogCorrupt');
  });

  it('locks the data dir against a live process and takes over a stale lock', () => {
    const dir = tempDir();
    const first = BlockLog.open(dir);
    const err = expectCode(() => BlockLog.open(dir), 'DataDirLocked');
    expect(err.details.pid).toBe(process.pid);
    first.log.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);

    // A lock left by a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${dead.stdout} -\n`);
    const second = BlockLog.open(dir);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    second.log.close();

    // A lock with garbage content is stale too; one held by a live process (our parent) is not.
    fs.writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
    BlockLog.open(dir).log.close();
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${process.ppid} -\n`);
    expectCode(() => BlockLog.open(dir), 'DataDirLocked');
    fs.rmSync(path.join(dir, LOCK_FILE));
  });

  it('writes snapshots atomically, keeps the newest, and skips damaged or unusable ones', () => {
    const dir = tempDir();
    const { log } = BlockLog.open(dir, { keepSnapshots: 2 });
    const entriesAt = (n: number): Array<[HexKey, Uint8Array]> => [
      ['0x01', Uint8Array.of(n)],
      ['0x0203', new Uint8Array(300).fill(n)],
    ];
    for (let n = 0; n < 10; n++) {
      log.append(recordFor(n));
      if (n % 3 === 0) log.writeSnapshot({ blockNumber: n, stateRoot: new Uint8Array(32).fill(n), meta: Uint8Array.of(0xaa, n), entries: entriesAt(n) });
    }
    log.close();
    expect(listSnapshots(dir).map((s) => s.blockNumber)).toEqual([9, 6]);

    let opened = BlockLog.open(dir);
    expect(opened.snapshot?.blockNumber).toBe(9);
    expect(opened.snapshot?.meta).toEqual(Uint8Array.of(0xaa, 9));
    expect(opened.snapshot?.entries).toEqual(entriesAt(9));
    expect(opened.replay).toEqual([]);
    opened.log.close();

    // minReplayBlocks: the newest snapshot leaving at least that many blocks to replay.
    opened = BlockLog.open(dir, { minReplayBlocks: 2 });
    expect(opened.snapshot?.blockNumber).toBe(6);
    expect(opened.replay.map((r) => r.number)).toEqual([7, 8, 9]);
    opened.log.close();
    opened = BlockLog.open(dir, { minReplayBlocks: 5 });
    expect(opened.snapshot).toBeNull();
    expect(opened.replay).toHaveLength(10);
    opened.log.close();

    // Damage the newest snapshot: the older one is used and blocks 7..9 are replayed.
    const newest = path.join(dir, snapshotFileName(9));
    const bytes = fs.readFileSync(newest);
    bytes[20]! ^= 0xff;
    fs.writeFileSync(newest, bytes);
    expectCode(() => readSnapshot(newest), 'SnapshotCorrupt');
    opened = BlockLog.open(dir);
    expect(opened.snapshot?.blockNumber).toBe(6);
    expect(opened.replay.map((r) => r.number)).toEqual([7, 8, 9]);
    opened.log.close();

    // Snapshots beyond the log's last block (log cut back externally to blocks 0..4) are not usable.
    const logFile = path.join(dir, BLOCK_LOG_FILE);
    const cutAt = 16 + [0, 1, 2, 3, 4].reduce((sum, n) => sum + encodeRecordFrame(recordFor(n)).length, 0);
    fs.writeFileSync(logFile, fs.readFileSync(logFile).subarray(0, cutAt));
    opened = BlockLog.open(dir);
    expect(opened.snapshot).toBeNull();
    expect(opened.replay.map((r) => r.number)).toEqual([0, 1, 2, 3, 4]);
    opened.log.close();
    // With an empty log, any valid snapshot is a starting point.
    fs.writeFileSync(logFile, fs.readFileSync(logFile).subarray(0, 16));
    opened = BlockLog.open(dir);
    expect(opened.snapshot?.blockNumber).toBe(6);
    opened.log.close();
    fs.writeFileSync(path.join(dir, '.snapshot-0000000001.bin.tmp-123'), 'partial');
    expect(listSnapshots(dir).map((s) => s.blockNumber)).toEqual([9, 6]);
    expect(fs.existsSync(path.join(dir, '.snapshot-0000000001.bin.tmp-123'))).toBe(false);
  });

  it('restart from snapshot + log replay reproduces the state root of a from-scratch replay', () => {
    // A toy deterministic "runtime": block n's payload is a seed; replaying it rewrites some keys.
    const apply = (store: VersionedStore, n: number, seed: number): void => {
      const o = new StateOverlay(n === 0 ? { get: () => null, keys: () => [] } : store.head());
      for (let i = 0; i < 20; i++) {
        const k = `0x${((seed * 7 + i * 13) % 97).toString(16).padStart(2, '0')}${(i % 3).toString(16).padStart(2, '0')}` as HexKey;
        if ((seed + i) % 5 === 0) o.delete(k);
        else o.set(k, Uint8Array.of(seed & 0xff, i, n & 0xff));
      }
      if (seed % 4 === 0) o.clearPrefix('0x1');
      store.commitBlock(n, o.changes());
    };
    const record = (n: number, seed: number): BlockLogRecord => ({ number: n, header: Uint8Array.of(n), extrinsics: [], payload: Uint8Array.of(seed) });
    const seedOf = (n: number): number => (n * 37 + 11) % 251;

    const dir = tempDir();
    const run1 = BlockLog.open(dir);
    const live = new VersionedStore();
    for (let n = 0; n < 40; n++) {
      apply(live, n, seedOf(n));
      run1.log.append(record(n, seedOf(n)));
      if (n % 16 === 15) run1.log.writeSnapshot({ blockNumber: n, stateRoot: live.stateRoot(n), entries: live.entries() });
    }
    run1.log.close();

    // Restart: snapshot 31, replay 32..39.
    const run2 = BlockLog.open(dir);
    expect(run2.snapshot?.blockNumber).toBe(31);
    const snap = run2.snapshot!;
    const restored = VersionedStore.fromEntries(snap.blockNumber, snap.entries, { expectedRoot: snap.stateRoot });
    for (const r of run2.replay) apply(restored, r.number, r.payload[0]!);
    run2.log.close();

    // From scratch: replay every record from genesis.
    const scratch = new VersionedStore();
    for (let n = 0; n < 40; n++) apply(scratch, n, seedOf(n));

    expect(restored.headNumber).toBe(39);
    expect(restored.stateRoot(39)).toEqual(live.stateRoot(39));
    expect(restored.stateRoot(39)).toEqual(scratch.stateRoot(39));
    expect(computeStateRootFromScratch(restored.head())).toEqual(scratch.stateRoot(39));
    expect([...restored.entries()]).toEqual([...scratch.entries()]);
  });
});
