/**
 * `economy.svg`: two line charts over the simulated epochs — each network's emission share (top) and
 * each tracked hotkey's cumulative rewards in TAO (bottom). Hand-written SVG: no chart library that is
 * well kept, CommonJS-compatible and renders without a DOM or native canvas fits (d3 is ESM-only and
 * needs a DOM to serialize; chart.js needs a canvas).
 */
import { emissionShare } from './csv';
import type { EconomyResult } from './economy';

const WIDTH = 1000;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 80, right: 260, top: 40, bottom: 50 };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const RAO_PER_TAO = 1e9;

/** XML-escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface Series {
  readonly label: string;
  readonly values: readonly number[];
}

/** A "nice" axis maximum ≥ `max` (1, 2 or 5 × 10^k). */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

const fmt = (v: number): string => (Math.abs(v) >= 1000 ? v.toExponential(2) : Number(v.toPrecision(4)).toString());

/** One panel (axes, ticks, lines, legend) with its top edge at `top`. */
function panel(title: string, yLabel: string, epochs: readonly number[], series: readonly Series[], top: number, yMaxFixed?: number): string {
  const x0 = MARGIN.left;
  const x1 = WIDTH - MARGIN.right;
  const y0 = top + PANEL_HEIGHT;
  const y1 = top;
  const yMax = yMaxFixed ?? niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const first = epochs[0] ?? 0;
  const last = epochs[epochs.length - 1] ?? 1;
  const xOf = (e: number): number => (last === first ? (x0 + x1) / 2 : x0 + ((e - first) / (last - first)) * (x1 - x0));
  const yOf = (v: number): number => y0 - (v / yMax) * (y0 - y1);
  const parts: string[] = [];
  parts.push(`<g class="panel">`);
  parts.push(`<text x="${x0}" y="${top - 14}" font-size="16" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#000"/>`);
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#000"/>`);
  for (let i = 0; i <= 5; i++) {
    const v = (yMax * i) / 5;
    const y = yOf(v).toFixed(1);
    parts.push(`<line x1="${x0 - 4}" y1="${y}" x2="${x1}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 - 8}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle">${escapeXml(fmt(v))}</text>`);
  }
  const xTicks = Math.min(10, epochs.length);
  for (let i = 0; i < xTicks; i++) {
    const e = epochs[Math.round((i * (epochs.length - 1)) / Math.max(1, xTicks - 1))]!;
    const x = xOf(e).toFixed(1);
    parts.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 4}" stroke="#000"/>`);
    parts.push(`<text x="${x}" y="${y0 + 18}" font-size="11" text-anchor="middle">${e}</text>`);
  }
  parts.push(`<text x="${(x0 + x1) / 2}" y="${y0 + 38}" font-size="12" text-anchor="middle">epoch</text>`);
  parts.push(`<text x="${x0 - 60}" y="${(y0 + y1) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 ${x0 - 60} ${(y0 + y1) / 2})">${escapeXml(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const points = s.values.map((v, j) => `${xOf(epochs[j]!).toFixed(1)},${yOf(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"><title>${escapeXml(s.label)}</title></polyline>`);
    const ly = y1 + 10 + i * 18;
    parts.push(`<line x1="${x1 + 16}" y1="${ly}" x2="${x1 + 36}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${x1 + 42}" y="${ly}" font-size="11" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  parts.push(`</g>`);
  return parts.join('\n');
}

/** The chart as a standalone SVG document. */
export function economySvg(result: EconomyResult): string {
  const epochs = result.rows.map((r) => r.epoch);
  const shares: Series[] = result.netuids.map((k) => ({ label: k === 0 ? 'root (netuid 0, not minted)' : `subnet ${k}`, values: result.rows.map((r) => emissionShare(r, k)) }));
  const rewards: Series[] = result.hotkeys.map((h, i) => ({ label: h, values: result.rows.map((r) => Number(r.rewards[i]![1]) / RAO_PER_TAO) }));
  const height = MARGIN.top + PANEL_HEIGHT + MARGIN.bottom + MARGIN.top + PANEL_HEIGHT + MARGIN.bottom;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel('Emission share per network (EmissionValues / BlockEmission)', 'share of block emission', epochs, shares, MARGIN.top, 1),
    panel('Cumulative rewards per hotkey', 'TAO', epochs, rewards, MARGIN.top + PANEL_HEIGHT + MARGIN.bottom + MARGIN.top),
    `</svg>`,
    '',
  ].join('\n');
}
