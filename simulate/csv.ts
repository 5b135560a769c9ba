/**
 * `economy.csv`: one row per simulated root epoch. Columns: `epoch`, `block`, `block_emission`,
 * `total_issuance`, `total_stake`, `owner_balances` (rao), then `share:<netuid>` per network (its
 * `EmissionValues` over `BlockEmission`, 9 decimals), `emission:<netuid>` (rao per block), and
 * `reward:<hotkey>` per tracked hotkey (cumulative rao earned since genesis).
 */
import type { EconomyResult, EconomyRow } from './economy';

/** `EmissionValues[netuid] / BlockEmission` as a number in [0, 1] (0 when the block emission is 0). */
export function emissionShare(row: EconomyRow, netuid: number): number {
  const value = row.emissionValues.find(([k]) => k === netuid)?.[1] ?? 0n;
  return row.blockEmission === 0n ? 0 : Number((value * 1_000_000_000n) / row.blockEmission) / 1e9;
}

/** RFC 4180 quoting for a field that holds a comma, quote or newline. */
function field(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The column names, in order. */
export function economyCsvHeader(result: EconomyResult): string[] {
  return [
    'epoch', 'block', 'block_emission', 'total_issuance', 'total_stake', 'owner_balances',
    ...result.netuids.map((k) => `share:${k}`),
    ...result.netuids.map((k) => `emission:${k}`),
    ...result.hotkeys.map((h) => `reward:${h}`),
  ];
}

/** The whole CSV text (header + one line per row, `\n` line ends, trailing newline). */
export function economyCsv(result: EconomyResult): string {
  const lines = [economyCsvHeader(result).map(field).join(',')];
  for (const row of result.rows) {
    const cells = [
      String(row.epoch), String(row.block), String(row.blockEmission), String(row.totalIssuance), String(row.totalStake), String(row.ownerBalances),
      ...result.netuids.map((k) => emissionShare(row, k).toFixed(9)),
      ...result.netuids.map((k) => String(row.emissionValues.find(([n]) => n === k)?.[1] ?? 0n)),
      ...row.rewards.map(([, rao]) => String(rao)),
    ];
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
