/**
 * The framing of a streaming subnet's answer on the wire, and its assembly. Each chunk travels as one line
 * of JSON (UTF-8, `\n`-terminated) in the `text/event-stream` body the axon sends, so a Python miner
 * streams the same answer with `yield json.dumps(chunk) + "\n"`. The miner side checks each chunk against
 * the subnet's chunk schema before it leaves; the validator side decodes lines as the bytes arrive (a
 * chunk is usable as soon as its line is complete), refuses oversized lines, too many chunks, bytes that
 * are not UTF-8 JSON and chunks that fail the schema, then assembles the answer and checks it against the
 * synapse's response schema.
 */
import type { SynapseDefinition, SynapseResponse } from '../../protocol';
import { DEFAULT_MAX_CHUNK_BYTES, DEFAULT_MAX_CHUNKS, type StreamingSubnet, type StreamSpec } from './define';
import { SubnetError } from './errors';

const NEWLINE = 0x0a;

/**
 * Decodes a byte stream into chunks as the bytes arrive (the dendrite's `StreamDecoder`).
 * `push` returns the chunks the bytes completed; `end` those left when the stream ends.
 */
export interface ChunkDecoder<C> {
  /** @throws SubnetError `InvalidStream` */
  push(bytes: Uint8Array): C[];
  /** @throws SubnetError `InvalidStream` (the stream ended inside a chunk) */
  end(): C[];
}

/** One chunk as its wire line. @throws SubnetError `InvalidStream` when the chunk fails the schema or exceeds `maxChunkBytes` */
export function encodeChunk<C>(spec: StreamSpec<C, unknown>, chunk: C, index: number): string {
  const parsed = spec.chunk.safeParse(chunk);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SubnetError('InvalidStream', `chunk ${index}: ${issue.path.join('.') || '(chunk)'}: ${issue.message}`, { index });
  }
  const line = `${JSON.stringify(parsed.data)}\n`;
  const limit = spec.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  if (Buffer.byteLength(line) > limit) throw new SubnetError('InvalidStream', `chunk ${index} is ${Buffer.byteLength(line)} bytes, over the ${limit}-byte limit`, { index });
  return line;
}

/** A decoder of JSON-line chunks checked against `spec.chunk`, within `spec.maxChunks` and `spec.maxChunkBytes`. */
export function chunkDecoder<C>(spec: StreamSpec<C, unknown>): ChunkDecoder<C> {
  const maxChunks = spec.maxChunks ?? DEFAULT_MAX_CHUNKS;
  const maxChunkBytes = spec.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let count = 0;
  const fail = (reason: string): never => {
    throw new SubnetError('InvalidStream', `chunk ${count}: ${reason}`, { index: count });
  };
  const decodeLine = (line: Buffer): C | null => {
    // Blank lines (keep-alives, a trailing \r\n's \r) carry no chunk.
    const text = (() => {
      try {
        return utf8.decode(line).trim();
      } catch {
        return fail('not UTF-8');
      }
    })();
    if (text === '') return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return fail(`not JSON: ${(err as Error).message}`);
    }
    const parsed = spec.chunk.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fail(`${issue.path.join('.') || '(chunk)'}: ${issue.message}`);
    }
    if (count >= maxChunks) fail(`more than ${maxChunks} chunks`);
    count++;
    return parsed.data;
  };
  // A failure after good chunks in the same bytes is held back so those chunks are still delivered; the next call throws it.
  let broken: unknown = undefined;
  return {
    push(bytes) {
      if (broken !== undefined) throw broken;
      const out: C[] = [];
      try {
        pushInto(bytes, out);
      } catch (err) {
        if (out.length === 0) throw err;
        broken = err;
      }
      return out;
    },
    end() {
      if (broken !== undefined) throw broken;
      if (pendingBytes === 0) return [];
      const line = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      if (line.toString('utf8').trim() === '') return [];
      return fail('the stream ended inside a line (every chunk ends with \\n)');
    },
  };

  function pushInto(bytes: Uint8Array, out: C[]): void {
    let start = 0;
    for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, start)) {
      const piece = Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start);
      if (pendingBytes + piece.length + 1 > maxChunkBytes) fail(`a line over the ${maxChunkBytes}-byte limit`);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      const chunk = decodeLine(line);
      if (chunk !== null) out.push(chunk);
      start = i + 1;
    }
    if (start < bytes.length) {
      const rest = Buffer.from(bytes.subarray(start));
      if (pendingBytes + rest.length >= maxChunkBytes) fail(`a line over the ${maxChunkBytes}-byte limit`);
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
}

/**
 * The answer a stream's chunks make: `stream.assemble`, checked against the synapse's response schema.
 * @throws SubnetError `InvalidStream` naming what failed
 */
export function assembleAnswer<D extends SynapseDefinition, Ref, C>(subnet: Pick<StreamingSubnet<D, Ref, C>, 'stream' | 'synapse' | 'name'>, chunks: readonly C[]): SynapseResponse<D> {
  let assembled: unknown;
  try {
    assembled = subnet.stream.assemble(chunks);
  } catch (err) {
    throw new SubnetError('InvalidStream', `the ${chunks.length} chunks do not assemble into an answer: ${err instanceof Error ? err.message : String(err)}`, { subnet: subnet.name }, { cause: err });
  }
  const parsed = subnet.synapse.response.safeParse(assembled);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SubnetError('InvalidStream', `the assembled answer fails the response schema at ${subnet.synapse.name}.${issue.path.join('.') || '(response)'}: ${issue.message}`, { subnet: subnet.name });
  }
  return parsed.data as SynapseResponse<D>;
}

/**
 * What a validator needs to read a streaming subnet's answers (the dendrite's stream options): a fresh
 * decoder per answer and the assembly.
 */
export function streamReaderOf<D extends SynapseDefinition, Ref, C>(subnet: StreamingSubnet<D, Ref, C>): { decoder(): ChunkDecoder<C>; assemble(chunks: readonly C[]): SynapseResponse<D> } {
  return { decoder: () => chunkDecoder(subnet.stream), assemble: (chunks) => assembleAnswer(subnet, chunks) };
}
