import { CopyDetector, defineSubnet, latencyFactor, rngFromSeed, SubnetError, SubnetJudge, taskFromSeed, TaskSeeds, Verifier, type RawAnswer } from '../../../subnets/sdk';
import { AddNumbers, toySubnet } from './toy-subnet';

const SEED_A = 'a'.repeat(64);
const SEED_B = 'b'.repeat(64);

function ok(uid: number, body: Record<string, unknown>, latencyS = 0.1): RawAnswer {
  return { uid, hotkey: `hk${uid}`, status: 'ok', body, latencyS };
}

describe('task seeds', () => {
  it('the same seed gives the same task, and different seeds different tasks', () => {
    const subnet = toySubnet();
    expect(taskFromSeed(subnet, SEED_A)).toEqual(taskFromSeed(subnet, SEED_A));
    expect(taskFromSeed(subnet, SEED_A).request).not.toEqual(taskFromSeed(subnet, SEED_B).request);
  });

  it('rng streams are deterministic per seed and label, and independent across labels', () => {
    const a = rngFromSeed(SEED_A);
    const b = rngFromSeed(SEED_A);
    const c = rngFromSeed(SEED_A, 'augment');
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.1);
  });

  it('a task source never issues or accepts a seed twice', () => {
    const seeds = new TaskSeeds();
    const issued = new Set(Array.from({ length: 2000 }, () => seeds.next()));
    expect(issued.size).toBe(2000);
    expect(seeds.claim(SEED_A)).toBe(SEED_A);
    expect(() => seeds.claim(SEED_A)).toThrow(expect.objectContaining({ code: 'TaskSeedReused' }));
    expect(() => seeds.claim('xyz')).toThrow(expect.objectContaining({ code: 'InvalidTaskSeed' }));
  });

  it('live tasks do not repeat', () => {
    const judge = new SubnetJudge(toySubnet());
    const tasks = Array.from({ length: 500 }, () => judge.newTask());
    expect(new Set(tasks.map((t) => t.seed)).size).toBe(500);
  });
});

describe('defineSubnet', () => {
  const base = toySubnet();
  it('derives the version key and sets it as weights_version', () => {
    expect(base.versionKey).toBe(1_002_003);
    expect(base.hyperparameters).toEqual({ weights_version: 1_002_003n, tempo: 10 });
    expect(base.defaultTier).toBe('exact');
  });

  it.each([
    ['name', { name: 'Bad Name' }],
    ['version', { version: '1.2' }],
    ['timeout', { timeoutS: 0 }],
    ['tiers', { miner: { ...base.miner, tiers: {} } }],
    ['verification fraction', { verification: { fraction: 0, check: () => true } }],
  ])('refuses a bad %s', (_what, patch) => {
    expect(() => defineSubnet({ ...base, ...patch } as unknown as Parameters<typeof defineSubnet>[0])).toThrow(expect.objectContaining({ code: 'InvalidSubnetDefinition' }));
  });
});

describe('SubnetJudge.score', () => {
  it('scores correct answers, zeroes wrong, invalid, timed-out and refused ones', async () => {
    const judge = new SubnetJudge(toySubnet(), { copyDetection: { minEvidence: 1, window: 1, minShare: 1 } });
    const task = taskFromSeed(judge.subnet, SEED_A);
    const sum = task.reference;
    const scored = await judge.score(task, [
      ok(0, { sum, work: [1] }, 0),
      ok(1, { sum: sum + 1, work: [2] }),
      ok(2, { sum: 'x', work: [] }),
      ok(3, { work: [3] }),
      { uid: 4, hotkey: 'hk4', status: 'timeout', body: null, latencyS: 2 },
      { uid: 5, hotkey: 'hk5', status: 'unavailable', body: null, latencyS: 0.01 },
      ok(6, { sum, work: [4] }, 1),
    ]);
    expect(scored.map((s) => s.status)).toEqual(['ok', 'ok', 'invalid', 'invalid', 'timeout', 'unavailable', 'ok']);
    expect(scored.map((s) => s.score)).toEqual([1, 0, 0, 0, 0, 0, latencyFactor(1, 2)]);
  });

  it('refuses a reward outside [0, 1] or of the wrong length', async () => {
    const subnet = toySubnet();
    const bad = defineSubnet({ ...subnet, reward: () => [1.5] });
    const short = defineSubnet({ ...subnet, reward: () => [] });
    const task = taskFromSeed(subnet, SEED_A);
    await expect(new SubnetJudge(bad).score(task, [ok(0, { sum: 0, work: [] })])).rejects.toMatchObject({ code: 'InvalidReward' });
    await expect(new SubnetJudge(short).score(task, [ok(0, { sum: 0, work: [] })])).rejects.toMatchObject({ code: 'InvalidReward' });
  });

  it('scores a relaying miner as the copy, not the original', async () => {
    const judge = new SubnetJudge(toySubnet());
    const seeds = new TaskSeeds();
    let last: Awaited<ReturnType<typeof judge.score>> = [];
    for (let i = 0; i < 5; i++) {
      const task = taskFromSeed(judge.subnet, seeds.next());
      const original = { sum: task.reference, work: task.request.numbers.map((n) => n * 0.5) };
      const other = { sum: task.reference, work: task.request.numbers.map((n) => n * 0.25) };
      last = await judge.score(task, [ok(1, original, 0.2), ok(2, original, 0.35), ok(3, other, 0.1)]);
      if (i < 2) expect(last.every((s) => s.score > 0)).toBe(true);
    }
    const [orig, copy, honest] = last;
    expect(orig!.score).toBeGreaterThan(0);
    expect(copy!.score).toBe(0);
    expect(copy!.copyOf).toMatchObject({ copier: 2, original: 1 });
    expect(honest!.score).toBeGreaterThan(0);
  });
});

describe('CopyDetector', () => {
  const spec = { fingerprint: (r: { v: number[] }) => r.v, tolerance: 1e-3 };
  const at = (uid: number, v: number[], latencyS: number) => ({ uid, hotkey: `hk${uid}`, response: { v }, latencyS });

  it('needs minEvidence matching tasks, within tolerance, from the later miner only', () => {
    const detector = new CopyDetector(spec, { window: 5, minEvidence: 3, minShare: 0.6 });
    expect(detector.observe([at(0, [1, 2], 0.1), at(1, [1.0005, 2], 0.2)]).size).toBe(0);
    expect(detector.observe([at(0, [3, 4], 0.1), at(1, [3, 4], 0.2)]).size).toBe(0);
    const marks = detector.observe([at(0, [5, 6], 0.1), at(1, [5, 6.0009], 0.2)]);
    expect([...marks.keys()]).toEqual([1]);
    expect(marks.get(1)).toEqual({ copier: 1, original: 0, evidence: 3, shared: 3 });
  });

  it('does not flag different answers or a miner that answers first', () => {
    const detector = new CopyDetector(spec, { window: 4, minEvidence: 2 });
    for (let i = 0; i < 4; i++) expect(detector.observe([at(0, [i, 1], 0.1), at(1, [i, 1.1], 0.2)]).size).toBe(0);
  });

  it('a mark lapses once the evidence leaves the window, and a new hotkey on the uid starts clean', () => {
    const detector = new CopyDetector(spec, { window: 3, minEvidence: 2, minShare: 0.5 });
    detector.observe([at(0, [1], 0.1), at(1, [1], 0.2)]);
    expect(detector.observe([at(0, [2], 0.1), at(1, [2], 0.2)]).has(1)).toBe(true);
    expect(detector.observe([{ uid: 0, hotkey: 'hk0', response: { v: [3] }, latencyS: 0.1 }, { uid: 1, hotkey: 'new', response: { v: [3] }, latencyS: 0.2 }]).has(1)).toBe(false);
    const fresh = new CopyDetector(spec, { window: 3, minEvidence: 2, minShare: 0.5 });
    fresh.observe([at(0, [1], 0.1), at(1, [1], 0.2)]);
    fresh.observe([at(0, [2], 0.1), at(1, [2], 0.2)]);
    for (let i = 0; i < 2; i++) fresh.observe([at(0, [10 + i], 0.1), at(1, [20 + i], 0.2)]);
    expect(fresh.marks().has(1)).toBe(false);
  });
});

describe('Verifier', () => {
  it('checks the drawn fraction, penalizes a mismatch for penaltyTasks tasks, and never penalizes the uncheckable', async () => {
    const draws = [0.05, 0.5, 0.05, 0.05];
    const verifier = new Verifier<unknown, unknown, { honest: boolean | undefined }>({ fraction: 0.1, check: (_t, r) => r.honest }, { penaltyTasks: 2, random: () => draws.shift()! });
    const task = { subnet: 'x', seed: SEED_A, request: {}, reference: null };
    expect(await verifier.verify(task, 'a', { honest: true })).toBe('passed');
    expect(await verifier.verify(task, 'a', { honest: false })).toBe('unchecked');
    expect(await verifier.verify(task, 'b', { honest: undefined })).toBe('uncheckable');
    expect(await verifier.verify(task, 'a', { honest: false })).toBe('failed');
    expect([verifier.penalized('a'), verifier.penalized('a'), verifier.penalized('a'), verifier.penalized('b')]).toEqual([true, true, false, false]);
    expect(verifier.stats).toEqual({ checked: 3, failed: 1, uncheckable: 1, errors: 0 });
  });

  it('a check that throws is uncheckable, never a penalty', async () => {
    const verifier = new Verifier<unknown, unknown, unknown>({ fraction: 1, check: () => { throw new Error('reference model missing'); } }, { penaltyTasks: 5 });
    expect(await verifier.verify({ subnet: 'x', seed: SEED_A, request: {}, reference: null }, 'a', {})).toBe('uncheckable');
    expect(verifier.penalized('a')).toBe(false);
    expect(verifier.stats.errors).toBe(1);
  });

  it('in the judge, a mismatch and the penalty period score 0', async () => {
    const subnet = toySubnet({ fraction: 1, check: (task, r) => r.sum === task.reference });
    const judge = new SubnetJudge(subnet, { verification: { penaltyTasks: 1 } });
    const seeds = new TaskSeeds();
    const t1 = taskFromSeed(subnet, seeds.next());
    const [cheat] = await judge.score(t1, [ok(0, { sum: t1.reference + 1, work: [] })]);
    expect(cheat).toMatchObject({ verification: 'failed', score: 0 });
    const t2 = taskFromSeed(subnet, seeds.next());
    const [served] = await judge.score(t2, [ok(0, { sum: t2.reference, work: [] })]);
    expect(served).toMatchObject({ verification: 'penalized', score: 0 });
    expect(served!.reward).toBeGreaterThan(0);
    const t3 = taskFromSeed(subnet, seeds.next());
    const [after] = await judge.score(t3, [ok(0, { sum: t3.reference, work: [] })]);
    expect(after).toMatchObject({ verification: 'passed' });
    expect(after!.score).toBeGreaterThan(0);
  });
});

describe('latencyFactor', () => {
  it('falls linearly from 1 to 1 - weight over the timeout, clamped', () => {
    expect(latencyFactor(0, 10)).toBe(1);
    expect(latencyFactor(5, 10)).toBeCloseTo(0.9);
    expect(latencyFactor(20, 10)).toBeCloseTo(0.8);
    expect(latencyFactor(Number.NaN, 10)).toBeCloseTo(0.8);
    expect(() => latencyFactor(1, 0)).toThrow(RangeError);
  });
});

it('the toy synapse hashes every request field', () => {
  expect(AddNumbers.hashFields).toEqual(['numbers']);
  expect(SubnetError.name).toBe('SubnetError');
});
