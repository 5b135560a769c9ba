/**
 * CTC greedy decoding of the recognizer's output, as PaddleOCR's `CTCLabelDecode`: the most probable class at
 * each time step, repeats collapsed, blanks dropped; the confidence is the mean probability of the kept steps.
 */
import { OcrError } from './errors';
import { CTC_BLANK_INDEX } from './model';

/** A decoded line: its text and the mean probability of the steps that produced it (0 when none did). */
export interface DecodedLine {
  readonly text: string;
  readonly confidence: number;
}

/**
 * Decodes a `[N, T, C]` row-major tensor of per-step class scores (probabilities for the confidence to mean
 * anything) into N lines. `charset[i]` is the text of class i; class {@link CTC_BLANK_INDEX} is the blank.
 * Throws `InvalidOutput` when the dims are not rank 3, C is not the charset's length, or the data's length
 * does not match. Ties in a step go to the lowest class index.
 */
export function ctcGreedyDecode(scores: ArrayLike<number>, dims: readonly number[], charset: readonly string[]): DecodedLine[] {
  if (dims.length !== 3 || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new OcrError('InvalidOutput', `CTC decoding takes [N, T, C] scores (got dims [${dims.join(', ')}])`, { dims });
  }
  const [rows, steps, classes] = dims as [number, number, number];
  if (classes !== charset.length) {
    throw new OcrError('InvalidOutput', `the scores have ${classes} classes, the charset ${charset.length}`, { dims, charset: charset.length });
  }
  if (scores.length !== rows * steps * classes) {
    throw new OcrError('InvalidOutput', `the scores hold ${scores.length} values; [${dims.join(', ')}] needs ${rows * steps * classes}`, { dims });
  }
  const lines: DecodedLine[] = [];
  for (let n = 0; n < rows; n++) {
    let text = '';
    let probabilitySum = 0;
    let kept = 0;
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      const base = (n * steps + t) * classes;
      let best = 0;
      let bestScore = scores[base]!;
      for (let c = 1; c < classes; c++) {
        const score = scores[base + c]!;
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      }
      if (best !== CTC_BLANK_INDEX && best !== previous) {
        text += charset[best]!;
        probabilitySum += bestScore;
        kept++;
      }
      previous = best;
    }
    lines.push({ text, confidence: kept === 0 ? 0 : probabilitySum / kept });
  }
  return lines;
}
