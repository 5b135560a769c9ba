import { readFile } from 'node:fs/promises';
import { parseJsonText, readVectorKind, VectorFormatError, type VectorKind } from '../../../consensus';
import { CliError } from '../../errors';
import type { CliIo } from '../../io';

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

/** The text of `--input` (`-` reads stdin). @throws {CliError} `InputUnreadable` */
export async function readInputText(path: string, io: CliIo): Promise<string> {
  try {
    return path === '-' ? await io.readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError('InputUnreadable', `cannot read ${path === '-' ? 'stdin' : path}: ${describeFsError(err)}`, { path }, { cause: err });
  }
}

/**
 * Reads and JSON-parses `--input`, and checks that its `kind` is the command's.
 * @throws {CliError | VectorFormatError}
 */
export async function readVectorDocument(path: string, kind: VectorKind, io: CliIo): Promise<unknown> {
  const doc = parseJsonText(await readInputText(path, io));
  const actual = readVectorKind(doc);
  if (actual !== kind) throw new VectorFormatError(['kind'], `must be "${kind}" for \`tensornet consensus ${kind}\` (got "${actual}")`);
  return doc;
}
