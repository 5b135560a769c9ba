/**
 * A pid lock file so that two nodes never share a data dir.
 *
 * The lock is `<dir>/LOCK`, created atomically (hard link of a complete temp file) and holding `"<pid> <start time>\n"` (the start time
 * is the process start tick from `/proc/<pid>/stat` on Linux, `-` elsewhere). A lock whose process is
 * gone, is a zombie, or whose pid now belongs to a process with another start time is stale and is
 * taken over. Known limit: two processes taking over the same stale lock at the same instant can race
 * (there is no portable `flock` in Node); a live lock is never taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PersistenceError } from './errors';
import { fsyncDirSync } from './fs-util';

/** File name of the lock inside a data dir. */
export const LOCK_FILE = 'LOCK';

interface LockHolder {
  readonly pid: number;
  readonly startTime: string | null;
}

/** Linux process state and start time, or null when /proc is unavailable or the process is gone. */
function procStat(pid: number): { state: string; startTime: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state !== undefined && startTime !== undefined ? { state, startTime } : null;
}

function lockContent(): string {
  return `${process.pid} ${procStat(process.pid)?.startTime ?? '-'}\n`;
}

function parseLock(text: string): LockHolder | null {
  const m = /^(\d+) (\S+)\n?$/.exec(text);
  if (m === null) return null;
  const pid = Number(m[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, startTime: m[2] === '-' ? null : m[2]! } : null;
}

/** Whether the process that wrote `holder` still runs. */
function isAlive(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = procStat(holder.pid);
  if (stat === null) return true; // no /proc: trust kill(0)
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return holder.startTime === null || holder.startTime === stat.startTime;
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Creates `file` holding `content` only if it does not exist. The content is written to a temp file
 * and hard-linked into place, so the lock never exists half-written.
 */
function tryCreate(file: string, content: string): boolean {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    // No hard links on this filesystem: fall back to an exclusive create (briefly empty while written).
    return createExclusive(file, content);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** An acquired data-dir lock; `release()` removes the file if it is still ours. */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly content: string,
  ) {}

  /** Takes `<dir>/LOCK`, taking over a stale one; throws `PersistenceError('DataDirLocked')` when a live process holds it. */
  static acquire(dir: string): DataDirLock {
    const file = path.join(dir, LOCK_FILE);
    const content = lockContent();
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(file, content)) {
        fsyncDirSync(dir);
        return new DataDirLock(file, content);
      }
      const text = readIfExists(file);
      if (text === null) continue; // released meanwhile: retry
      const holder = parseLock(text);
      // The lock is created complete (see tryCreate), so an unparsable one is damaged: stale.
      if (holder !== null && isAlive(holder)) {
        throw new PersistenceError('DataDirLocked', `data dir ${dir} is in use by process ${holder.pid} (delete ${file} if that process is not a tensornet node)`, {
          dir,
          pid: holder.pid,
        });
      }
      // Stale: move it aside atomically (only one taker can rename this file), check that what we moved
      // is the stale lock we inspected, then retry the exclusive create.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = readIfExists(aside);
      if (moved !== text) {
        // We moved a lock someone else created meanwhile: put it back and report it as held.
        try {
          fs.linkSync(aside, file);
        } catch {
          // the owner or a third process recreated it already
        }
        fs.rmSync(aside, { force: true });
        throw new PersistenceError('DataDirLocked', `data dir ${dir} was locked concurrently by another process`, { dir });
      }
      fs.rmSync(aside, { force: true });
    }
    throw new PersistenceError('DataDirLocked', `could not acquire ${file} (lock contention)`, { dir });
  }

  /** Removes the lock file when it still holds this process's content. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readIfExists(this.path) === this.content) fs.rmSync(this.path, { force: true });
  }
}
