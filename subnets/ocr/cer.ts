/**
 * The OCR task's metric: edit distance over Unicode code points and the character error rate derived from it.
 */

/**
 * Levenshtein distance between two strings, counted over code points (so an astral character such as '𣇉'
 * is one character, not two UTF-16 units): the fewest insertions, deletions and substitutions turning `a`
 * into `b`. O(|a| * |b|) time, O(min(|a|, |b|)) memory.
 */
export function levenshtein(a: string, b: string): number {
  let long = Array.from(a);
  let short = Array.from(b);
  if (short.length > long.length) [long, short] = [short, long];
  if (short.length === 0) return long.length;
  let previous = new Uint32Array(short.length + 1);
  let current = new Uint32Array(short.length + 1);
  for (let j = 0; j <= short.length; j++) previous[j] = j;
  for (let i = 1; i <= long.length; i++) {
    current[0] = i;
    const char = long[i - 1];
    for (let j = 1; j <= short.length; j++) {
      const substitution = previous[j - 1]! + (char === short[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[short.length]!;
}

/**
 * Character error rate of a prediction against the truth: `levenshtein(prediction, truth) / max(1, truth
 * length in code points)`, clipped to [0, 1] (a long wrong answer costs no more than an empty one).
 */
export function characterErrorRate(prediction: string, truth: string): number {
  const length = Array.from(truth).length;
  return Math.min(1, levenshtein(prediction, truth) / Math.max(1, length));
}
