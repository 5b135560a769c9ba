/**
 * Reading a hotkey's pending weight commits (legacy commit-reveal): what a validator resuming after a crash
 * needs to know whether its commit reached the chain and when it may reveal.
 */
import type { ChainClient } from '../connect';
import { addressOf, checkNetuid } from './common';
import { queryItem } from './query';

/** A commit waiting for its reveal. */
export interface PendingWeightCommit {
  readonly commitHash: string;
  readonly commitBlock: number;
  readonly firstRevealBlock: number;
  readonly lastRevealBlock: number;
}

/** The pending commits of `hotkey` on `netuid`, oldest first (empty on runtimes without commit-reveal). */
export async function pendingWeightCommits(client: ChainClient, params: { readonly netuid: number; readonly hotkey: string }): Promise<PendingWeightCommit[]> {
  const netuid = checkNetuid(params.netuid);
  if (!client.runtime.hasStorage('SubtensorModule', 'WeightCommits')) return [];
  const raw = (await queryItem(client, 'SubtensorModule', 'WeightCommits', netuid, addressOf(params.hotkey))).toJSON() as Array<[string, number, number, number]> | null;
  return (raw ?? []).map(([commitHash, commitBlock, first, last]) => ({ commitHash, commitBlock: Number(commitBlock), firstRevealBlock: Number(first), lastRevealBlock: Number(last) }));
}
