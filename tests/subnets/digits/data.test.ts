/**
 * The digits data split: fixed (pinned by content hashes and per-digit counts), disjoint, well-formed.
 */
import { createHash } from 'node:crypto';

import { DIGIT_CLASSES, HELD_OUT_EVERY, IMAGE_SIZE, isHeldOut, loadDigits, type DigitSet } from '../../../subnets/digits/data';

function sha256(set: DigitSet): string {
  return createHash('sha256').update(new Uint8Array(set.images.buffer, set.images.byteOffset, set.images.byteLength)).update(set.labels).digest('hex');
}

function perDigit(set: DigitSet): number[] {
  const counts = new Array<number>(DIGIT_CLASSES).fill(0);
  for (const label of set.labels) counts[label]!++;
  return counts;
}

function imageKey(set: DigitSet, index: number): string {
  return Buffer.from(set.images.buffer, set.images.byteOffset + index * IMAGE_SIZE * 4, IMAGE_SIZE * 4).toString('base64');
}

describe('loadDigits', () => {
  const { train, heldOut } = loadDigits();

  test('the split rule: the last sample of every group of five is held out', () => {
    expect(HELD_OUT_EVERY).toBe(5);
    expect([0, 1, 2, 3, 4, 5, 9, 10, 14].map(isHeldOut)).toEqual([false, false, false, false, true, false, true, false, true]);
  });

  test('the 10,000 images of the mnist package split 8,004 / 1,996, about 80/20 in every digit', () => {
    expect(train.count).toBe(8004);
    expect(heldOut.count).toBe(1996);
    expect(perDigit(train)).toEqual([801, 902, 793, 826, 784, 691, 812, 856, 756, 783]);
    expect(perDigit(heldOut)).toEqual([200, 225, 198, 206, 196, 172, 202, 214, 188, 195]);
    for (let d = 0; d < DIGIT_CLASSES; d++) {
      const share = perDigit(heldOut)[d]! / (perDigit(train)[d]! + perDigit(heldOut)[d]!);
      expect(share).toBeGreaterThan(0.199);
      expect(share).toBeLessThanOrEqual(0.2);
    }
  });

  test('the split is fixed: the same bytes on every load and every machine (content hashes pinned)', () => {
    expect(sha256(train)).toBe('6b77aae45e4841220ed3d04789a7436fcefeafef9e9a4d065f85b3d8dbf6934b');
    expect(sha256(heldOut)).toBe('585319539c8b69cd695baba5e04682bf5082db6bfcf1bafe2dd773543aa6346c');
    expect(loadDigits()).toBe(loadDigits());
  });

  test('the two parts are disjoint: no held-out image is also a training image', () => {
    const trainKeys = new Set<string>();
    for (let i = 0; i < train.count; i++) trainKeys.add(imageKey(train, i));
    expect(trainKeys.size).toBe(train.count);
    let shared = 0;
    for (let i = 0; i < heldOut.count; i++) if (trainKeys.has(imageKey(heldOut, i))) shared++;
    expect(shared).toBe(0);
  });

  test('images are 784 grey levels in [0, 1], labels are digits, sizes agree', () => {
    for (const set of [train, heldOut]) {
      expect(set.images).toBeInstanceOf(Float32Array);
      expect(set.labels).toBeInstanceOf(Uint8Array);
      expect(set.images.length).toBe(set.count * IMAGE_SIZE);
      expect(set.labels.length).toBe(set.count);
      let min = Infinity;
      let max = -Infinity;
      for (const v of set.images) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
      expect(Math.max(...set.labels)).toBe(9);
      // Every image has ink: no blank rows slipped in.
      let blank = 0;
      for (let i = 0; i < set.count; i++) if (!set.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE).some((v) => v > 0.5)) blank++;
      expect(blank).toBe(0);
    }
  });
});
