// The sortable metagraph table: click a column's header to sort by it, again to reverse.
import { el, fraction, shortKey, tao } from './format.js';

const byNumber = (key) => (a, b) => a[key] - b[key];
const byRao = (key) => (a, b) => {
  const d = BigInt(a[key]) - BigInt(b[key]);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
const axonText = (n) => (n.axon.serving ? `${n.axon.ip}:${n.axon.port}` : '—');

/** The columns: key, header, how a cell reads, how rows compare. */
export const COLUMNS = [
  { key: 'uid', label: 'uid', cell: (n) => String(n.uid), compare: byNumber('uid') },
  { key: 'hotkey', label: 'hotkey', cell: (n) => shortKey(n.hotkey), title: (n) => n.hotkey, compare: (a, b) => a.hotkey.localeCompare(b.hotkey) },
  { key: 'stake', label: 'stake', cell: (n) => tao(n.stake, 2), compare: byRao('stake') },
  { key: 'incentive', label: 'incentive', cell: (n) => fraction(n.incentive), compare: byNumber('incentive') },
  { key: 'dividends', label: 'dividends', cell: (n) => fraction(n.dividends), compare: byNumber('dividends') },
  { key: 'trust', label: 'trust', cell: (n) => fraction(n.trust), compare: byNumber('trust') },
  { key: 'consensus', label: 'consensus', cell: (n) => fraction(n.consensus), compare: byNumber('consensus') },
  { key: 'vtrust', label: 'vtrust', cell: (n) => fraction(n.vtrust), compare: byNumber('vtrust') },
  { key: 'emission', label: 'emission', cell: (n) => tao(n.emission), compare: byRao('emission') },
  { key: 'axon', label: 'axon', cell: axonText, compare: (a, b) => axonText(a).localeCompare(axonText(b)) },
  { key: 'score', label: 'score', cell: (n) => fraction(n.score), compare: byNumber('score') },
];

export class MetagraphTable {
  constructor(table) {
    this.table = table;
    this.neurons = [];
    this.sort = { key: 'uid', descending: false };
    const head = el('tr');
    for (const column of COLUMNS) {
      const button = el('button', { type: 'button', text: column.label, onclick: () => this.sortBy(column.key) });
      head.append(el('th', { scope: 'col', 'data-key': column.key }, button));
    }
    table.replaceChildren(el('thead', {}, head), el('tbody'));
  }

  sortBy(key) {
    this.sort = { key, descending: this.sort.key === key ? !this.sort.descending : key !== 'uid' && key !== 'hotkey' && key !== 'axon' };
    this.render();
  }

  update(neurons) {
    this.neurons = neurons;
    this.render();
  }

  render() {
    const column = COLUMNS.find((c) => c.key === this.sort.key);
    const rows = [...this.neurons].sort((a, b) => (this.sort.descending ? -1 : 1) * column.compare(a, b) || a.uid - b.uid);
    for (const th of this.table.tHead.querySelectorAll('th')) {
      const sorted = th.dataset.key === this.sort.key;
      th.setAttribute('aria-sort', sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
    }
    const body = this.table.tBodies[0];
    body.replaceChildren(...rows.map((n) => {
      const tr = el('tr', { 'data-uid': String(n.uid) });
      if (n.validatorPermit) tr.classList.add('validator');
      for (const c of COLUMNS) tr.append(el('td', { 'data-key': c.key, text: c.cell(n), ...(c.title ? { title: c.title(n) } : {}) }));
      return tr;
    }));
  }
}
