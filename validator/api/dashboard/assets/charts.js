// Line charts of a history (one x per block or epoch, one series per key), drawn by uPlot.
import uPlot from './uPlot.esm.js';
import { color } from './format.js';

export class HistoryChart {
  /**
   * @param container the element the chart fills
   * @param options {xLabel, yLabel, yRange: [min, max] | null, maxPoints}
   */
  constructor(container, { xLabel = 'block', yLabel = '', yRange = null, maxPoints = 2000 } = {}) {
    this.container = container;
    this.options = { xLabel, yLabel, yRange, maxPoints };
    this.xs = [];
    /** key → {label, values (aligned with xs; null where unknown)} */
    this.series = new Map();
    this.plot = null;
    this.shownKeys = '';
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  size() {
    return { width: Math.max(240, this.container.clientWidth), height: 220 };
  }

  /** Adds the values at `x` (a Map key → {label, value}); the last x again updates its point, an earlier x (a late answer) is dropped. */
  push(x, values) {
    let at = this.xs.length - 1;
    if (at >= 0 && x < this.xs[at]) return;
    if (at < 0 || x > this.xs[at]) {
      this.xs.push(x);
      for (const s of this.series.values()) s.values.push(null);
      at = this.xs.length - 1;
    }
    for (const [key, { label, value }] of values) {
      let s = this.series.get(key);
      if (s === undefined) {
        s = { label, values: this.xs.map(() => null) };
        this.series.set(key, s);
      }
      s.label = label;
      s.values[at] = value;
    }
    if (this.xs.length > this.options.maxPoints) {
      this.xs.shift();
      for (const s of this.series.values()) s.values.shift();
    }
    this.render();
  }

  get points() {
    return this.xs.length;
  }

  render() {
    const keys = [...this.series.keys()].sort((a, b) => a - b);
    this.container.dataset.points = String(this.xs.length);
    this.container.dataset.series = String(keys.length);
    const data = [this.xs, ...keys.map((k) => this.series.get(k).values)];
    const shown = keys.map((k) => `${k}:${this.series.get(k).label}`).join('|');
    if (this.plot !== null && shown === this.shownKeys) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.shownKeys = shown;
    const { xLabel, yLabel, yRange } = this.options;
    this.plot = new uPlot({
      ...this.size(),
      scales: { x: { time: false }, y: yRange === null ? {} : { range: yRange } },
      series: [
        { label: xLabel },
        ...keys.map((k, i) => ({ label: this.series.get(k).label, stroke: color(i), width: 2, spanGaps: true, points: { show: true, size: 5 } })),
      ],
      axes: [{ label: xLabel }, { label: yLabel, size: 60 }],
      legend: { live: true },
    }, data, this.container);
  }
}
