import { ctcGreedyDecode } from '../../../subnets/ocr/ctc';
import { OcrError } from '../../../subnets/ocr/errors';

// A toy charset in the model's convention: blank first, space last.
const CHARSET = ['', 'a', 'b', 'c', ' '];

/** Scores [N, T, C] where step t of row n puts probability p on class `classes[n][t]` and spreads the rest. */
function scoresFor(rows: number[][], p = 0.9): { data: Float32Array; dims: number[] } {
  const steps = rows[0]!.length;
  const c = CHARSET.length;
  const data = new Float32Array(rows.length * steps * c);
  rows.forEach((row, n) =>
    row.forEach((cls, t) => {
      for (let k = 0; k < c; k++) data[(n * steps + t) * c + k] = k === cls ? p : (1 - p) / (c - 1);
    }),
  );
  return { data, dims: [rows.length, steps, c] };
}

describe('ctcGreedyDecode', () => {
  it('collapses repeats, then drops blanks', () => {
    const { data, dims } = scoresFor([[1, 1, 0, 1, 2, 2, 2, 0, 0, 3]]);
    expect(ctcGreedyDecode(data, dims, CHARSET).map((l) => l.text)).toEqual(['aabc']);
  });

  it('keeps a repeated character only when a blank separates the repeats', () => {
    const { data, dims } = scoresFor([[1, 1, 1, 1], [1, 0, 1, 0]]);
    expect(ctcGreedyDecode(data, dims, CHARSET).map((l) => l.text)).toEqual(['a', 'aa']);
  });

  it('decodes the space class and each row of a batch independently', () => {
    const { data, dims } = scoresFor([[1, 4, 2, 0], [3, 3, 4, 4]]);
    expect(ctcGreedyDecode(data, dims, CHARSET).map((l) => l.text)).toEqual(['a b', 'c ']);
  });

  it('gives the mean probability of the emitted steps as the confidence', () => {
    const dims = [1, 3, CHARSET.length];
    const data = new Float32Array([
      0.1, 0.6, 0.1, 0.1, 0.1, // 'a' at 0.6
      0.1, 0.8, 0.05, 0.05, 0, // 'a' again: collapsed, not counted
      0.05, 0.05, 0.1, 0.7, 0.1, // 'c' at 0.7
    ]);
    const [line] = ctcGreedyDecode(data, dims, CHARSET);
    expect(line!.text).toBe('ac');
    expect(line!.confidence).toBeCloseTo((0.6 + 0.7) / 2, 6);
  });

  it('returns empty text with confidence 0 for an all-blank row', () => {
    const { data, dims } = scoresFor([[0, 0, 0]]);
    expect(ctcGreedyDecode(data, dims, CHARSET)).toEqual([{ text: '', confidence: 0 }]);
  });

  it('breaks a tie towards the lowest class index (the blank wins a tie with it)', () => {
    const data = new Float32Array([0.4, 0.4, 0.1, 0.05, 0.05, 0.1, 0.3, 0.3, 0.2, 0.1]);
    expect(ctcGreedyDecode(data, [1, 2, CHARSET.length], CHARSET)[0]!.text).toBe('a');
  });

  it('decodes zero rows and zero steps', () => {
    expect(ctcGreedyDecode(new Float32Array(0), [0, 40, CHARSET.length], CHARSET)).toEqual([]);
    expect(ctcGreedyDecode(new Float32Array(0), [2, 0, CHARSET.length], CHARSET)).toEqual([
      { text: '', confidence: 0 },
      { text: '', confidence: 0 },
    ]);
  });

  it('refuses scores whose shape does not fit the charset', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (err) {
        return err instanceof OcrError ? err.code : 'not an OcrError';
      }
      return undefined;
    };
    expect(codeOf(() => ctcGreedyDecode(new Float32Array(10), [2, 5], CHARSET))).toBe('InvalidOutput');
    expect(codeOf(() => ctcGreedyDecode(new Float32Array(12), [1, 3, 4], CHARSET))).toBe('InvalidOutput');
    expect(codeOf(() => ctcGreedyDecode(new Float32Array(14), [1, 3, 5], CHARSET))).toBe('InvalidOutput');
    expect(codeOf(() => ctcGreedyDecode(new Float32Array(0), [1, -1, 5], CHARSET))).toBe('InvalidOutput');
  });
});
