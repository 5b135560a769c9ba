/**
 * The SDK's streaming subnets: what defineStreamingSubnet refuses, the judge handing time to first chunk to
 * the reward, and the assembled answer checked against the response schema. (The wire framing is tested in
 * tests/subnets/digit-sequence, the miner and validator sides over real sockets in tests/validator/dendrite-stream.)
 */
import { z } from 'zod';
import { defineSynapse } from '../../../protocol';
import { assembleAnswer, defineStreamingSubnet, defineSubnet, isStreamingSubnet, latencyFactor, SubnetError, SubnetJudge, taskFromSeed, type StreamingSubnetSpec } from '../../../subnets/sdk';
import { toySubnet } from './toy-subnet';

const Count = defineSynapse({ name: 'CountUp', request: { to: z.number().int().min(1).max(20) }, response: { numbers: z.array(z.number().int()) }, streaming: true });
const chunk = z.object({ n: z.number().int() }).strict();

function spec(): StreamingSubnetSpec<typeof Count, number, z.infer<typeof chunk>> {
  return {
    name: 'count-up', version: '1.0.0', description: 'counts', synapse: Count, timeoutS: 2,
    stream: { chunk, assemble: (chunks) => ({ numbers: chunks.map((c) => c.n) }) },
    generateTask: (rng) => {
      const to = 1 + Math.floor(rng() * 20);
      return { request: { to }, reference: to };
    },
    reward: (task, answers, { timeoutS }) => answers.map((a) => (a.response!.numbers.length === task.reference ? latencyFactor(a.firstChunkS ?? a.latencyS, timeoutS) : 0)),
    miner: {
      model: 'none',
      tiers: { exact: { description: 'counts' } },
      createHandler: () => async function* (request) {
        for (let n = 1; n <= request.to; n++) yield { n };
      },
    },
    copyDetection: false,
  };
}

test('a streaming subnet is told apart; maxChunks and maxChunkBytes get their defaults', () => {
  const subnet = defineStreamingSubnet(spec());
  expect(isStreamingSubnet(subnet)).toBe(true);
  expect(isStreamingSubnet(toySubnet())).toBe(false);
  expect(subnet.stream).toMatchObject({ maxChunks: 1024, maxChunkBytes: 65536 });
  expect(subnet.kind).toBe('tensornet.subnet');
});

test('refuses a streaming synapse in defineSubnet, a plain one in defineStreamingSubnet, and bad limits', () => {
  const plain = defineSynapse({ name: 'Plain', request: { to: z.number().int() }, response: { numbers: z.array(z.number().int()) } });
  const code = (make: () => unknown): unknown => {
    try {
      make();
    } catch (err) {
      return err instanceof SubnetError ? `${err.code}: ${err.message}` : err;
    }
    return 'accepted';
  };
  const { stream: _stream, ...rest } = spec();
  expect(code(() => defineSubnet({ ...rest, miner: { ...rest.miner, createHandler: () => async () => ({ numbers: [] }) } }))).toMatch(/^InvalidSubnetDefinition: .*streams: declare the subnet with defineStreamingSubnet/);
  expect(code(() => defineStreamingSubnet({ ...spec(), synapse: plain as unknown as typeof Count }))).toMatch(/^InvalidSubnetDefinition: .*does not stream/);
  expect(code(() => defineStreamingSubnet({ ...spec(), stream: { ...spec().stream, maxChunks: 0 } }))).toMatch(/maxChunks must be a positive integer/);
  expect(code(() => defineStreamingSubnet({ ...spec(), stream: { ...spec().stream, maxChunkBytes: 1.5 } }))).toMatch(/maxChunkBytes must be an integer/);
});

test('the judge gives the reward the time to first chunk; assembled answers failing the response schema are refused', async () => {
  const subnet = defineStreamingSubnet(spec());
  const task = taskFromSeed(subnet, '7'.repeat(64));
  const numbers = Array.from({ length: task.reference }, (_, i) => i + 1);
  const judge = new SubnetJudge(subnet);
  const [fast, slow, wrong] = await judge.score(task, [
    { uid: 0, hotkey: 'a', status: 'ok', body: { numbers }, latencyS: 1.5, firstChunkS: 0.1 },
    { uid: 1, hotkey: 'b', status: 'ok', body: { numbers }, latencyS: 1.5, firstChunkS: 1.4 },
    { uid: 2, hotkey: 'c', status: 'ok', body: { numbers: [1] }, latencyS: 0.1, firstChunkS: 0.1 },
  ]);
  expect(fast!.reward).toBeCloseTo(latencyFactor(0.1, 2), 12);
  expect(slow!.reward).toBeCloseTo(latencyFactor(1.4, 2), 12);
  expect(fast).toMatchObject({ firstChunkS: 0.1, status: 'ok' });
  expect(wrong!.reward).toBe(task.reference === 1 ? latencyFactor(0.1, 2) : 0);
  expect(assembleAnswer(subnet, [{ n: 1 }, { n: 2 }])).toEqual({ numbers: [1, 2] });
  const broken = defineStreamingSubnet({ ...spec(), stream: { chunk, assemble: () => ({ numbers: 'many' }) as never } });
  expect(() => assembleAnswer(broken, [{ n: 1 }])).toThrow(/fails the response schema at CountUp.numbers/);
  const throwing = defineStreamingSubnet({ ...spec(), stream: { chunk, assemble: () => { throw new Error('gap'); } } });
  expect(() => assembleAnswer(throwing, [])).toThrow(/do not assemble into an answer: gap/);
});
