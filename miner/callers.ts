/**
 * The axon's view of callers, rebuilt from the metagraph after each sync: a hotkey → (uid, stake,
 * validator permit) table, so the request path never queries the chain.
 */
import type { MetagraphData } from '../chain-client';
import type { CallerDirectory, CallerInfo } from './axon';

export class MetagraphCallers implements CallerDirectory {
  private table = new Map<string, CallerInfo>();

  /** Replaces the table with the metagraph's neurons. */
  update(graph: Pick<MetagraphData, 'hotkeys' | 'stake' | 'validatorPermit'>): void {
    const table = new Map<string, CallerInfo>();
    graph.hotkeys.forEach((hotkey, uid) => {
      table.set(hotkey, { uid, stake: Number(graph.stake[uid]!.rao) / 1e9, validatorPermit: graph.validatorPermit[uid] ?? false });
    });
    this.table = table;
  }

  lookup(hotkey: string): CallerInfo | undefined {
    return this.table.get(hotkey);
  }

  get size(): number {
    return this.table.size;
  }
}
