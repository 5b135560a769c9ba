/**
 * Child process for the kill -9 test: opens the block log in `argv[2]` and appends records with
 * deterministic contents (see `recordFor`) forever, printing `appended <n>` after each append returned,
 * i.e. after the record was fsynced. The parent SIGKILLs it at an arbitrary moment.
 *
 * Usage: node -r tests/localnet/helpers/ts-register.js tests/localnet/helpers/block-log-writer.ts <dir>
 */
import { BlockLog } from '../../../localnet/persistence/block-log';
import { recordFor } from './block-log-records';

function main(): void {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('usage: block-log-writer <data dir>');
  const { log, recovery } = BlockLog.open(dir);
  process.stdout.write(`opened ${log.lastNumber ?? -1} dropped ${recovery.droppedRecords}\n`);
  let n = log.lastNumber === undefined ? 0 : log.lastNumber + 1;
  for (;;) {
    log.append(recordFor(n));
    // One synchronous write per line, so the parent never sees a number before its append returned.
    process.stdout.write(`appended ${n}\n`);
    n++;
  }
}

main();
