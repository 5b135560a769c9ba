import { characterErrorRate, levenshtein } from '../../../subnets/ocr/cer';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['Saturday', 'Sunday', 3],
    ['ab', 'ba', 2],
    ['abc', 'ABC', 3],
  ])('levenshtein(%j, %j) = %d', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });

  it('counts code points, not UTF-16 units', () => {
    // '𣇉' (U+231C9, in the model's charset) and '😀' are two UTF-16 units each.
    expect(levenshtein('𣇉', '')).toBe(1);
    expect(levenshtein('a𣇉b', 'ab')).toBe(1);
    expect(levenshtein('😀', '😁')).toBe(1);
    expect(levenshtein('中文', '中')).toBe(1);
    expect(levenshtein('é', 'e')).toBe(1);
  });
});

describe('characterErrorRate', () => {
  it('is the distance over the truth length', () => {
    expect(characterErrorRate('hello world', 'hello world')).toBe(0);
    expect(characterErrorRate('hallo world', 'hello world')).toBeCloseTo(1 / 11, 12);
    expect(characterErrorRate('helloworld', 'hello world')).toBeCloseTo(1 / 11, 12);
    expect(characterErrorRate('𣇉x', '𣇉𣇉')).toBe(0.5);
  });

  it('handles empty strings: an empty truth counts as length 1', () => {
    expect(characterErrorRate('', '')).toBe(0);
    expect(characterErrorRate('', 'abcd')).toBe(1);
    expect(characterErrorRate('a', '')).toBe(1);
  });

  it('is clipped to 1 for long wrong answers', () => {
    expect(characterErrorRate('a very long wrong answer', 'ab')).toBe(1);
    expect(characterErrorRate('xyz', 'ab')).toBe(1);
  });
});
