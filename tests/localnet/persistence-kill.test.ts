/**
 * A real `kill -9`: a child process appends block records in a loop (tests/localnet/helpers/
 * block-log-writer.ts) and prints each block number once `append` returned; the test SIGKILLs it
 * mid-stream, reopens the data dir (taking over the dead child's lock) and checks that every block
 * the child reported as appended is present and intact. Three kill/restart rounds on the same dir.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlockLog } from '../../localnet/persistence/block-log';
import { recordFor } from './helpers/block-log-records';

const REPO = path.join(__dirname, '..', '..');
const REGISTER = path.join(__dirname, 'helpers', 'ts-register.js');
const WRITER = path.join(__dirname, 'helpers', 'block-log-writer.ts');

interface RoundResult {
  readonly printed: number[];
  readonly signal: NodeJS.Signals | null;
}

/** Runs the writer until it printed `appends` more blocks, then SIGKILLs it and waits for its exit. */
function runAndKill(dir: string, appends: number): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, WRITER, dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const printed: number[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer did not reach ${appends} appends in time; stderr: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^appended (\d+)$/.exec(line);
        if (m !== null) printed.push(Number(m[1]));
      }
      if (!killed && printed.length >= appends) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    // 'close' fires after the process exited (and was reaped) and its stdout was fully read.
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`writer exited on its own (signal ${signal}); stderr: ${stderr}`));
      else resolve({ printed, signal });
    });
    child.on('error', reject);
  });
}

describe('BlockLog under kill -9', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tensornet-kill9-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every record the killed writer reported as appended, across three kill/restart rounds', async () => {
    let expectedNext = 0;
    for (const appends of [120, 60, 150]) {
      const { printed, signal } = await runAndKill(dir, appends);
      expect(signal).toBe('SIGKILL');
      expect(printed.length).toBeGreaterThanOrEqual(appends);
      // The writer continued from the log's last record: numbers are consecutive from where we were.
      expect(printed[0]).toBe(expectedNext);
      printed.forEach((n, i) => expect(n).toBe(printed[0]! + i));

      const { log, replay, recovery } = BlockLog.open(dir);
      try {
        expect(recovery.droppedRecords).toBeLessThanOrEqual(1);
        expect(log.firstNumber).toBe(0);
        const last = printed[printed.length - 1]!;
        // Everything printed is there; at most the one append in flight at the kill may also be there.
        expect(log.lastNumber).toBeGreaterThanOrEqual(last);
        expect(log.lastNumber).toBeLessThanOrEqual(last + 1);
        expect(replay.map((r) => r.number)).toEqual(Array.from({ length: log.lastNumber! + 1 }, (_, i) => i));
        for (const r of replay) {
          const want = recordFor(r.number);
          expect(Buffer.from(r.header).equals(Buffer.from(want.header))).toBe(true);
          expect(r.extrinsics.length).toBe(want.extrinsics.length);
          r.extrinsics.forEach((x, i) => expect(Buffer.from(x).equals(Buffer.from(want.extrinsics[i]!))).toBe(true));
          expect(Buffer.from(r.payload).equals(Buffer.from(want.payload))).toBe(true);
        }
        expectedNext = log.lastNumber! + 1;
      } finally {
        log.close();
      }
    }
  });
});
