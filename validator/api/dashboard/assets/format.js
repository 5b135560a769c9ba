// Number formatting for the page.

const RAO_PER_TAO = 1_000_000_000n;

/** rao (a decimal string) as TAO with `digits` decimals, e.g. '1000.0000 τ'. */
export function tao(rao, digits = 4) {
  const value = BigInt(rao);
  const whole = value / RAO_PER_TAO;
  const fraction = (value % RAO_PER_TAO).toString().padStart(9, '0').slice(0, digits);
  return `${whole.toLocaleString('en-US')}${digits > 0 ? `.${fraction}` : ''} τ`;
}

export const fraction = (x, digits = 4) => (x === null || x === undefined ? '—' : x.toFixed(digits));
export const percent = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
export const shortKey = (ss58) => `${ss58.slice(0, 6)}…${ss58.slice(-4)}`;
export const seconds = (s) => (s === null || s === undefined ? '—' : `${(s * 1000).toFixed(0)} ms`);

/** Colors for chart series: distinct for the first ten, then spread around the hue circle. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const color = (i) => PALETTE[i] ?? `hsl(${(i * 137.5) % 360}, 60%, 45%)`;

/** A DOM element with text content (never HTML: every string shown comes from the network). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'className') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}
