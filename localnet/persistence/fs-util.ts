/** Durable-write helpers (synchronous on purpose: a block counts as persisted when they return). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes all of `buf` at `position` (looping over short writes). */
export function writeAllSync(fd: number, buf: Uint8Array, position: number): void {
  let off = 0;
  while (off < buf.length) {
    off += fs.writeSync(fd, buf, off, buf.length - off, position + off);
  }
}

/** Reads exactly `length` bytes at `position`, or fewer at end of file. */
export function readAtSync(fd: number, length: number, position: number): Uint8Array {
  const buf = new Uint8Array(length);
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, off, length - off, position + off);
    if (n === 0) break;
    off += n;
  }
  return off === length ? buf : buf.subarray(0, off);
}

/** fsyncs a directory so that entries created, renamed or removed in it are durable. */
export function fsyncDirSync(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return; // platforms that cannot open directories (Windows) have no directory fsync
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // some filesystems reject fsync on directories; the rename is still atomic
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `chunks` to `target` atomically and durably: to a temp file in the same directory, fsync,
 * rename over `target`, fsync the directory. A crash leaves either the old file or the new one
 * (plus possibly a `.tmp-*` file, which callers may delete).
 */
export function atomicWriteFileSync(target: string, chunks: Iterable<Uint8Array>): void {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}`);
  const fd = fs.openSync(tmp, 'w');
  try {
    let pos = 0;
    for (const c of chunks) {
      writeAllSync(fd, c, pos);
      pos += c.length;
    }
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, target);
  fsyncDirSync(dir);
}
