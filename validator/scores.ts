/**
 * Moving-average scores by uid: `score ← alpha · new + (1 − alpha) · score`, starting from 0. A uid whose
 * hotkey changed (the old neuron was replaced) starts again from 0; the table grows with the subnet.
 */
export class ScoreTable {
  private values: number[] = [];
  private hotkeys: string[] = [];

  constructor(readonly alpha = 0.1) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
  }

  /** Follows the metagraph's hotkeys: resets uids whose hotkey changed, grows to `hotkeys.length`. */
  follow(hotkeys: readonly string[]): void {
    hotkeys.forEach((hotkey, uid) => {
      if (this.hotkeys[uid] !== hotkey) {
        this.hotkeys[uid] = hotkey;
        this.values[uid] = 0;
      }
    });
  }

  update(uid: number, hotkey: string, score: number): void {
    if (this.hotkeys[uid] !== hotkey) {
      this.hotkeys[uid] = hotkey;
      this.values[uid] = 0;
    }
    this.values[uid] = this.alpha * score + (1 - this.alpha) * (this.values[uid] ?? 0);
  }

  /** Restores saved scores (same length as `hotkeys`). */
  restore(scores: readonly number[], hotkeys: readonly string[]): void {
    if (scores.length !== hotkeys.length) throw new RangeError(`${scores.length} scores for ${hotkeys.length} hotkeys`);
    this.values = [...scores];
    this.hotkeys = [...hotkeys];
  }

  /** The hotkey each score belongs to, by uid. */
  owners(): string[] {
    return [...this.hotkeys];
  }

  /** Scores by uid (0 for uids never scored). */
  snapshot(): number[] {
    return Array.from({ length: this.hotkeys.length }, (_, uid) => this.values[uid] ?? 0);
  }
}
