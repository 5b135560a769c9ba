/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * Streaming queries over real sockets on 127.0.0.1, real sr25519 signatures: a real axon serves the
 * digit-sequence mechanism (the real digits model) and raw streaming handlers that misbehave. Chunks arrive
 * in order and one at a time (the miner cannot go on before the dendrite's reader has the previous chunk:
 * an ordering of events, no clock), the assembled answer is scored by the subnet's judge, and a miner that
 * hangs mid-stream, trickles, streams past the size limit or streams garbage gets a typed result — never a
 * throw, never a stall.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { z } from 'zod';
import { keypairFromUri } from '../../chain-client/wallet';
import { Axon, AxonRefusal, type CallerInfo } from '../../miner/axon';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler } from '../../miner/handlers';
import { defineSynapse } from '../../protocol';
import { digitsModelPath } from '../../subnets/digits';
import { digitChunk, digitSequenceSubnet, type DigitChunk } from '../../subnets/digit-sequence';
import { characterErrorRate } from '../../subnets/ocr';
import { chunkDecoder, defineStreamingSubnet, latencyFactor, minerHandlerOf, streamReaderOf, SubnetJudge, taskFromSeed } from '../../subnets/sdk';
import { Dendrite, HttpTransport, lineDecoder, type DendriteTransport } from '../../validator/dendrite';

const validator = () => keypairFromUri('//StreamValidator');
const minerKey = () => keypairFromUri('//StreamMiner');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A raw streaming route whose handler misbehaves as asked. */
const Faulty = defineSynapse({ name: 'FaultyStream', request: { mode: z.enum(['hang', 'trickle', 'huge', 'garbage', 'fail', 'refuse', 'unfinished', 'break']) }, response: {}, streaming: true });
const line = (index: number): string => `${JSON.stringify({ index, digit: 1, probabilities: Array.from({ length: 10 }, (_, k) => (k === 1 ? 0.9 : 0.01)) })}\n`;
const untilAborted = (signal: AbortSignal): Promise<void> => new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/** Events in the order they happened, on both sides. */
const events: string[] = [];
/** `received[i]` resolves once the dendrite's reader has handed chunk i over. */
let received: Array<{ promise: Promise<void>; resolve: () => void }> = [];
const resetGates = (): void => {
  events.length = 0;
  received = Array.from({ length: 16 }, () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  });
};

/** The digit-sequence mechanism, its miner made to wait, after each chunk, until the reader has it. */
const gatedSubnet = defineStreamingSubnet({
  ...digitSequenceSubnet,
  miner: {
    ...digitSequenceSubnet.miner,
    createHandler(setup) {
      const inner = digitSequenceSubnet.miner.createHandler(setup);
      return async function* (request, ctx) {
        for await (const chunk of inner(request, ctx)) {
          events.push(`miner sent ${chunk.index}`);
          yield chunk;
          await Promise.race([received[chunk.index]!.promise, untilAborted(ctx.signal)]);
        }
        events.push('miner finished');
      };
    },
  },
});

let axon: Axon;
let engine: InferenceEngine;
let dendrite: Dendrite;
const SEED = 'd'.repeat(64);

beforeAll(async () => {
  await cryptoWaitReady();
  const table = new Map<string, CallerInfo>([[validator().address, { uid: 0, stake: 100, validatorPermit: true }]]);
  axon = new Axon({ hotkey: minerKey(), callers: { lookup: (h) => table.get(h) }, host: '127.0.0.1', port: 0 });
  engine = await InferenceEngine.load(digitsModelPath('mlp-large'), { device: 'cpu', worker: false, watch: false, spec: digitSequenceSubnet.miner.modelSpec!, intraOpNumThreads: 1 });
  attachHandler(minerHandlerOf(gatedSubnet), axon, { engine, tier: 'mlp-large', logger: silent });
  axon.attach(Faulty, async function* ({ mode }, { signal }) {
    switch (mode) {
      case 'hang':
        yield line(0);
        await untilAborted(signal);
        return;
      case 'trickle':
        yield line(0);
        for (const byte of line(1)) {
          if (signal.aborted) return;
          yield byte;
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        await untilAborted(signal);
        return;
      case 'huge':
        for (let i = 0; !signal.aborted; i++) yield line(i);
        return;
      case 'garbage':
        yield line(0);
        yield 'this is not JSON\n';
        return;
      case 'fail':
        throw new Error('the model crashed before the first chunk');
      case 'refuse':
        throw new AxonRefusal('InvalidBody', 'FaultyStream.mode: refused');
      case 'unfinished':
        yield line(0);
        yield '{"index": 1, "dig';
        return;
      case 'break':
        yield line(0);
        throw new Error('the model crashed mid-stream');
    }
  });
  await axon.start();
  dendrite = new Dendrite({ hotkey: validator(), maxResponseBytes: 64 * 1024 });
}, 60_000);

afterAll(async () => {
  await dendrite.close();
  await axon.stop(1000);
  await engine.close();
});

const target = () => ({ ip: '127.0.0.1', port: axon.port, hotkey: minerKey().address });
const faulty = (mode: z.infer<typeof Faulty.request>['mode'], timeoutS = 5) => dendrite.stream(target(), Faulty, { mode }, { timeoutS, decoder: chunkDecoder({ chunk: digitChunk, assemble: () => ({}) }) });

test('chunks arrive in order and one at a time: each is in the reader’s hands before the miner computes the next', async () => {
  resetGates();
  const task = taskFromSeed(digitSequenceSubnet, SEED);
  const reader = streamReaderOf(digitSequenceSubnet);
  const call = dendrite.stream(target(), digitSequenceSubnet.synapse, task.request, { timeoutS: 10, decoder: reader.decoder(), assemble: reader.assemble });
  const chunks: DigitChunk[] = [];
  for await (const chunk of call) {
    events.push(`reader got ${chunk.index}`);
    chunks.push(chunk);
    received[chunk.index]!.resolve();
  }
  const result = await call.result;
  events.push('result');
  expect(result).toMatchObject({ status: 'ok', code: 200, message: 'Success' });
  const n = task.reference.digits.length;
  expect(chunks.map((c) => c.index)).toEqual([...Array(n).keys()]);
  // Strictly alternating: the miner sent k, the reader got k, only then the miner sent k + 1.
  expect(events).toEqual([...[...Array(n).keys()].flatMap((k) => [`miner sent ${k}`, `reader got ${k}`]), 'miner finished', 'result']);
  expect(result.chunks).toEqual(chunks);
  expect(result.response).toEqual({ digits: chunks.map((c) => c.digit).join(''), probabilities: chunks.map((c) => c.probabilities) });
  expect(result.firstChunkS).not.toBeNull();
  expect(result.firstChunkS!).toBeLessThanOrEqual(result.latencyS);
  // The final answer's headers are the axon's, as the reference dendrite fills its final synapse from them.
  expect(result.headers['content-type']).toBe('text/event-stream');
  expect(result.headers['bt_header_axon_hotkey']).toBe(minerKey().address);

  // The subnet's judge scores the assembled answer.
  const judge = new SubnetJudge(digitSequenceSubnet);
  const [scored] = await judge.score(task, [{ uid: 1, hotkey: minerKey().address, status: result.status, body: result.body, latencyS: result.latencyS, firstChunkS: result.firstChunkS! }]);
  expect(scored).toMatchObject({ status: 'ok', firstChunkS: result.firstChunkS });
  const accuracy = 1 - characterErrorRate(result.response!.digits, task.reference.digits);
  expect(accuracy).toBeGreaterThanOrEqual(0.8);
  expect(scored!.reward).toBeCloseTo(accuracy * latencyFactor(result.latencyS, 5, 0.2) * latencyFactor(result.firstChunkS!, 5, 0.1), 12);
});

test('the result alone: a stream nobody iterates is still read whole and assembled', async () => {
  resetGates();
  received.forEach((g) => g.resolve());
  const task = taskFromSeed(digitSequenceSubnet, 'e'.repeat(64));
  const reader = streamReaderOf(digitSequenceSubnet);
  const [result] = await dendrite.forwardStream([target()], digitSequenceSubnet.synapse, task.request, { timeoutS: 10, decoder: reader.decoder, assemble: reader.assemble });
  expect(result).toMatchObject({ status: 'ok', response: { digits: task.reference.digits } });
});

test('a miner that hangs mid-stream: timeout (408) with the chunk it sent, no stall', async () => {
  const call = faulty('hang', 0.6);
  const seen: unknown[] = [];
  for await (const chunk of call) seen.push(chunk);
  const result = await call.result;
  expect(result).toMatchObject({ status: 'timeout', code: 408, response: null });
  expect(seen).toHaveLength(1);
  expect(result.chunks).toHaveLength(1);
});

test('a miner that trickles bytes: the deadline covers the whole stream (timeout, 408)', async () => {
  const result = await faulty('trickle', 0.6).result;
  expect(result).toMatchObject({ status: 'timeout', code: 408 });
  expect(result.chunks).toHaveLength(1);
  expect(result.bytes).toBeGreaterThan(line(0).length);
});

test('a miner that streams past the size limit: invalid (400 payload error) once the limit is crossed', async () => {
  const result = await faulty('huge').result;
  expect(result).toMatchObject({ status: 'invalid', code: 400 });
  expect(result.message).toMatch(/^Payload error: the answer exceeded the 65536-byte limit/);
  expect(result.bytes).toBeLessThanOrEqual(64 * 1024);
  expect(result.chunks.length).toBeGreaterThan(0);
});

test('garbage, a stream ending inside a chunk, a failure or refusal before the first chunk: typed results', async () => {
  const garbage = await faulty('garbage').result;
  expect(garbage).toMatchObject({ status: 'invalid', code: 422 });
  expect(garbage.message).toMatch(/^Failed to parse response: chunk 1: not JSON/);
  expect(garbage.chunks).toHaveLength(1);
  const unfinished = await faulty('unfinished').result;
  expect(unfinished).toMatchObject({ status: 'invalid', code: 422 });
  expect(unfinished.message).toMatch(/ended inside a line/);
  const failed = await faulty('fail').result;
  expect(failed).toMatchObject({ status: 'refused', code: 500, chunks: [] });
  expect(failed.message).toMatch(/^Internal Server Error #/);
  const refused = await faulty('refuse').result;
  expect(refused).toMatchObject({ status: 'refused', code: 400, message: 'FaultyStream.mode: refused' });
});

test('a handler failing mid-stream: the axon resets the stream, so the reader never takes the truncated answer for a whole one', async () => {
  const result = await faulty('break').result;
  expect(result).toMatchObject({ status: 'unavailable', code: 503, response: null });
  expect(result.message).toMatch(/^Service disconnected/);
});

test('cancel(): the reader stops, the result is a timeout holding what came', async () => {
  const call = faulty('hang', 30);
  for await (const _chunk of call) {
    call.cancel();
  }
  const result = await call.result;
  expect(result).toMatchObject({ status: 'timeout', code: 408 });
  expect(result.chunks).toHaveLength(1);
});

test('an unreachable axon: unavailable (503); an input failing the request schema rejects (the caller’s doing)', async () => {
  const closed = await dendrite.stream({ ...target(), port: 1 }, Faulty, { mode: 'hang' }, { timeoutS: 2, decoder: lineDecoder() }).result;
  expect(closed).toMatchObject({ status: 'unavailable', code: 503 });
  const bad = dendrite.stream(target(), Faulty, { mode: 'nope' } as never, { timeoutS: 2, decoder: lineDecoder() });
  await expect(bad.result).rejects.toMatchObject({ code: 'InvalidSynapseInput' });
  await expect((async () => {
    for await (const _line of bad) { /* never */ }
  })()).rejects.toMatchObject({ code: 'InvalidSynapseInput' });
});

test('the transport is swappable: one without `open` still gets the whole stream (read first, then decoded)', async () => {
  const http = new HttpTransport();
  const plain: DendriteTransport = { send: (request) => http.send(request), close: () => http.close() };
  const other = new Dendrite({ hotkey: validator(), transport: plain });
  try {
    resetGates();
    received.forEach((g) => g.resolve());
    const task = taskFromSeed(digitSequenceSubnet, 'f'.repeat(64));
    const reader = streamReaderOf(digitSequenceSubnet);
    const result = await other.stream(target(), digitSequenceSubnet.synapse, task.request, { timeoutS: 10, decoder: reader.decoder(), assemble: reader.assemble }).result;
    expect(result).toMatchObject({ status: 'ok', response: { digits: task.reference.digits } });
  } finally {
    await other.close();
  }
});
