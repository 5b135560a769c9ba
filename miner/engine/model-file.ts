/**
 * Reading a model file: its bytes and content hash, with typed errors for missing or unreadable files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { EngineError, errorMessage } from './errors';

/** A model file's content. */
export interface ModelFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of the bytes (what a miner can report as its model's identity). */
  readonly sha256: string;
}

/** Reads a model file. Missing or unreadable → `ModelNotFound`; empty → `ModelInvalid`. */
export async function readModelFile(path: string): Promise<ModelFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    throw new EngineError('ModelNotFound', `cannot read model file ${path}: ${errorMessage(err)}`, { path, errno: code }, { cause: err });
  }
  if (bytes.byteLength === 0) throw new EngineError('ModelInvalid', `model file ${path} is empty`, { path });
  return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
