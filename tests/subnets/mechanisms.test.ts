/**
 * The built-in mechanisms' validator side: task generators are deterministic under a seed and do not repeat;
 * rewards score right answers high and empty, wrong-typed, wrong and timed-out answers 0.
 */
import { digitImage, digitsSubnet, predictsLabel } from '../../subnets/digits';
import { ocrSubnet } from '../../subnets/ocr';
import { SubnetJudge, TaskSeeds, taskFromSeed, type RawAnswer } from '../../subnets';
import { decodeTensor } from '../../protocol';

const SEED = '5e'.repeat(32);
const HASH = 'ab'.repeat(32);

function answer(uid: number, body: Record<string, unknown> | null, latencyS = 0.05, status: RawAnswer['status'] = 'ok'): RawAnswer {
  return { uid, hotkey: `hk${uid}`, status, body, latencyS };
}

function oneHot(label: number, confidence = 0.91): number[] {
  return Array.from({ length: 10 }, (_, i) => (i === label ? confidence : (1 - confidence) / 9));
}

describe('digits', () => {
  it('generates the same task from the same seed, different tasks from different seeds', () => {
    const a = taskFromSeed(digitsSubnet, SEED);
    expect(taskFromSeed(digitsSubnet, SEED)).toEqual(a);
    const seeds = new TaskSeeds();
    const tasks = Array.from({ length: 200 }, () => taskFromSeed(digitsSubnet, seeds.next()));
    expect(new Set(tasks.map((t) => t.request.image.buffer)).size).toBe(200);
    const image = digitImage(a.request.image);
    expect(image.length).toBe(784);
    expect(decodeTensor(a.request.image).shape).toEqual([28, 28]);
    expect(a.reference.label).toBeGreaterThanOrEqual(0);
    expect(a.reference.label).toBeLessThan(10);
  });

  it('tasks are augmented: the same held-out image never arrives twice the same', () => {
    const seeds = new TaskSeeds();
    const byIndex = new Map<number, string>();
    let repeats = 0;
    for (let i = 0; i < 3000; i++) {
      const task = taskFromSeed(digitsSubnet, seeds.next());
      const previous = byIndex.get(task.reference.index);
      if (previous !== undefined) {
        repeats++;
        expect(task.request.image.buffer).not.toBe(previous);
      }
      byIndex.set(task.reference.index, task.request.image.buffer);
    }
    expect(repeats).toBeGreaterThan(0);
  });

  it('rewards a strictly most probable true class, scaled by latency; everything else is 0', async () => {
    const judge = new SubnetJudge(digitsSubnet, { verification: { random: () => 1 } });
    const task = taskFromSeed(digitsSubnet, SEED);
    const label = task.reference.label;
    const wrong = (label + 1) % 10;
    const tie = Array.from({ length: 10 }, () => 0.1);
    const scored = await judge.score(task, [
      answer(0, { probabilities: oneHot(label), model_sha256: HASH }, 0),
      answer(1, { probabilities: oneHot(label), model_sha256: HASH }, digitsSubnet.timeoutS),
      answer(2, { probabilities: oneHot(wrong), model_sha256: HASH }),
      answer(3, { probabilities: tie, model_sha256: HASH }),
      answer(4, { probabilities: [], model_sha256: HASH }),
      answer(5, { probabilities: 'seven', model_sha256: HASH }),
      answer(6, { probabilities: oneHot(label), model_sha256: 'not-a-hash' }),
      answer(7, {}),
      answer(8, null, digitsSubnet.timeoutS, 'timeout'),
    ]);
    expect(scored.map((s) => s.score)).toEqual([1, 0.8, 0, 0, 0, 0, 0, 0, 0]);
    expect(scored.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'invalid', 'invalid', 'invalid', 'invalid', 'timeout']);
    expect(predictsLabel(oneHot(3), 3)).toBe(true);
    expect(predictsLabel(tie, 3)).toBe(false);
  });
});

describe('ocr', () => {
  it('generates the same rendered line from the same seed, and no repeats', () => {
    const a = taskFromSeed(ocrSubnet, SEED);
    expect(taskFromSeed(ocrSubnet, SEED)).toEqual(a);
    expect(typeof a.reference).toBe('string');
    expect(a.reference.length).toBeGreaterThan(0);
    const raw = decodeTensor(a.request.image);
    expect(raw.dtype).toBe('uint8');
    expect(raw.shape).toHaveLength(2);
    const seeds = new TaskSeeds();
    const tasks = Array.from({ length: 60 }, () => taskFromSeed(ocrSubnet, seeds.next()));
    expect(new Set(tasks.map((t) => t.request.image.buffer)).size).toBe(60);
  });

  it('rewards 1 − CER with the latency term; empty, wrong-typed and timed-out answers are 0', async () => {
    const judge = new SubnetJudge(ocrSubnet);
    const task = taskFromSeed(ocrSubnet, SEED);
    const truth = task.reference;
    const oneOff = `${truth.slice(0, -1)}${truth.endsWith('x') ? 'y' : 'x'}`;
    const scored = await judge.score(task, [
      answer(0, { text: truth, confidence: 0.9 }, 0),
      answer(1, { text: oneOff, confidence: 0.8 }, 0),
      answer(2, { text: '', confidence: 0.7 }, 0),
      answer(3, { text: 42, confidence: 0.9 }),
      answer(4, { text: truth }),
      answer(5, null, ocrSubnet.timeoutS, 'timeout'),
      answer(6, { text: 'completely different words here', confidence: 0.5 }, 0),
    ]);
    expect(scored[0]!.score).toBe(1);
    expect(scored[1]!.score).toBeCloseTo(1 - 1 / Array.from(truth).length);
    expect(scored.slice(2, 6).map((s) => s.score)).toEqual([0, 0, 0, 0]);
    expect(scored[6]!.score).toBeLessThan(0.5);
  });
});
