/**
 * Weight setting: `set_weights` with the SDK's weight processing and pre-flight checks, legacy
 * commit-reveal (`commit_weights` / `reveal_weights`, hash as spec §7.2) and an automatic reveal.
 */
import { randomBytes } from 'node:crypto';
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import type { RequestTimeoutError } from '../errors';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { convertWeightsAndUidsForEmit, processWeights, weightsCommitHash } from '../weights';
import { addressOf, checkNetuid, send, type SubmitOptions } from './common';
import { DispatchFailedError, InvalidParametersError } from './errors';
import { bestBlockNumber, queryBigInt, queryBool, queryItem, queryJsonArray, queryNumber, uidOf, waitForBlock, weightsStakeThreshold } from './query';
import { remedyFor } from './remedy';

/** Weights to set: uids and non-negative scores (any scale; processed as the SDK does). */
export interface WeightsInput {
  readonly uids: readonly number[];
  readonly weights: readonly number[];
  /** Quantile (u16) of the lowest non-zero weights to drop. @default 0 */
  readonly excludeQuantile?: number;
  /** Skip `process_weights` and only max-upscale to u16 (the weights are already processed). @default false */
  readonly raw?: boolean;
  /** @default 0n */
  readonly versionKey?: bigint | number;
}

/** Parameters of {@link setWeights}. */
export interface SetWeightsParameters extends SubmitOptions, WeightsInput {
  /** The validator's hotkey (signs the call). */
  readonly signer: Signer;
  readonly netuid: number;
}

/** The result of {@link setWeights}: the submission and the u16 weights sent. */
export interface SetWeightsResult extends SubmitResult {
  readonly uids: readonly number[];
  readonly values: readonly number[];
}

/** Errors of {@link setWeights}. */
export type SetWeightsErrorType = SubmitErrorType;

function preflight(error: string, remedy: string, facts: Record<string, string | number | boolean> = {}): never {
  throw new DispatchFailedError({ pallet: 'SubtensorModule', error, remedy, preflight: true, facts });
}

/** The uids and u16 values the SDK would send for `input` on `netuid`. */
export async function prepareWeights(client: ChainClient, netuid: number, input: WeightsInput): Promise<{ uids: number[]; values: number[] }> {
  if (input.uids.length !== input.weights.length) throw new InvalidParametersError(`uids (${input.uids.length}) and weights (${input.weights.length}) differ in length`);
  if (input.raw) {
    const out = convertWeightsAndUidsForEmit(input.uids, input.weights);
    return { uids: out.uids, values: out.weights };
  }
  const [n, minAllowedWeights, maxWeightsLimit] = await Promise.all([
    queryNumber(client, 'SubtensorModule', 'SubnetworkN', netuid),
    queryNumber(client, 'SubtensorModule', 'MinAllowedWeights', netuid),
    queryNumber(client, 'SubtensorModule', 'MaxWeightsLimit', netuid),
  ]);
  const processed = processWeights({ uids: input.uids, weights: input.weights, n, minAllowedWeights, maxWeightsLimit, excludeQuantile: input.excludeQuantile ?? 0 });
  const out = convertWeightsAndUidsForEmit(processed.uids, processed.weights);
  return { uids: out.uids, values: out.weights };
}

interface Common {
  readonly netuid: number;
  readonly hotkey: string;
  readonly uid: number;
  readonly nextBlock: number;
}

/** Checks shared by set and commit: subnet, registration, version key, rate limit. */
async function commonChecks(client: ChainClient, netuid: number, signer: Signer, versionKey: bigint, tooFast: 'SettingWeightsTooFast' | 'CommittingWeightsTooFast'): Promise<Common> {
  const hotkey = addressOf(signer);
  if (!(await queryBool(client, 'SubtensorModule', 'NetworksAdded', netuid))) preflight('SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
  const uid = await uidOf(client, netuid, hotkey);
  if (uid === undefined) {
    const remedy = await remedyFor(client, 'SubtensorModule', 'HotKeyNotRegisteredInSubNet', { netuid, hotkey });
    preflight('HotKeyNotRegisteredInSubNet', remedy?.remedy ?? `register the hotkey on netuid ${netuid}`, remedy?.facts ?? {});
  }
  const [stake, threshold] = await Promise.all([queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', hotkey), weightsStakeThreshold(client)]);
  if (stake < threshold) preflight('NotEnoughStakeToSetWeights', `the hotkey needs at least ${Balance.fromRao(threshold).toString()} stake (StakeThreshold), it has ${Balance.fromRao(stake).toString()}`, { stakeRao: stake.toString(), stakeThresholdRao: threshold.toString() });
  const required = await queryBigInt(client, 'SubtensorModule', 'WeightsVersionKey', netuid);
  if (required !== 0n && versionKey < required) preflight('IncorrectWeightVersionKey', `pass versionKey >= ${required} (the subnet's WeightsVersionKey)`, { weightsVersionKey: required.toString() });
  const [lastUpdates, rateLimit, best] = await Promise.all([
    queryJsonArray<number>(client, 'SubtensorModule', 'LastUpdate', netuid),
    queryNumber(client, 'SubtensorModule', 'WeightsSetRateLimit', netuid),
    bestBlockNumber(client),
  ]);
  const lastUpdate = Number(lastUpdates[uid!] ?? 0);
  const nextBlock = best + 1;
  if (lastUpdate !== 0 && nextBlock - lastUpdate < rateLimit) {
    preflight(tooFast, `wait until block ${lastUpdate + rateLimit} (LastUpdate ${lastUpdate} + WeightsSetRateLimit ${rateLimit})`, { lastUpdate, rateLimit, nextAllowedBlock: lastUpdate + rateLimit });
  }
  return { netuid, hotkey, uid: uid!, nextBlock };
}

async function permitCheck(client: ChainClient, netuid: number, uid: number, uids: readonly number[]): Promise<void> {
  const selfWeight = uids.length === 1 && uids[0] === uid;
  if (selfWeight) return;
  const permits = await queryJsonArray<boolean>(client, 'SubtensorModule', 'ValidatorPermit', netuid);
  if (permits[uid] === true) return;
  const remedy = await remedyFor(client, 'SubtensorModule', 'NeuronNoValidatorPermit', { netuid });
  preflight('NeuronNoValidatorPermit', remedy?.remedy ?? 'the uid holds no validator permit', remedy?.facts ?? {});
}

function versionOf(v: bigint | number | undefined): bigint {
  const version = BigInt(v ?? 0);
  if (version < 0n || version >= 1n << 64n) throw new InvalidParametersError('versionKey must be a u64', { versionKey: version.toString() });
  return version;
}

/**
 * Sets weights on `netuid` from the signing hotkey, after the SDK's processing (min_allowed_weights,
 * max_weight_limit, exclude quantile, u16 max-upscale). Pre-flight checks (no fee spent, same
 * `DispatchFailedError` as the chain would give): `CanNotSetRootNetworkWeights`, `CommitRevealEnabled`,
 * `SubNetworkDoesNotExist`, `HotKeyNotRegisteredInSubNet`, `NotEnoughStakeToSetWeights`, `IncorrectWeightVersionKey`,
 * `SettingWeightsTooFast` (remedy: the next allowed block), `NeuronNoValidatorPermit` (remedy: the
 * stake of the lowest permit holder).
 * @example
 * const { values } = await setWeights(client, { signer: hotkey, netuid: 1, uids: [0, 1, 2], weights: [0.2, 0.3, 0.5] });
 */
export async function setWeights(client: ChainClient, params: SetWeightsParameters): Promise<SetWeightsResult> {
  const netuid = checkNetuid(params.netuid);
  const versionKey = versionOf(params.versionKey);
  if (netuid === 0) preflight('CanNotSetRootNetworkWeights', 'use setRootWeights for the root network');
  // Runtimes without commit-reveal (spec 143) have no such item: their weights are always set directly.
  if (client.runtime.hasStorage('SubtensorModule', 'CommitRevealWeightsEnabled') && (await queryBool(client, 'SubtensorModule', 'CommitRevealWeightsEnabled', netuid))) preflight('CommitRevealEnabled', 'the subnet uses commit-reveal: use commitAndRevealWeights (or commitWeights + revealWeights)');
  const common = await commonChecks(client, netuid, params.signer, versionKey, 'SettingWeightsTooFast');
  const { uids, values } = await prepareWeights(client, netuid, params);
  if (uids.length === 0) throw new InvalidParametersError('every weight is zero: nothing to set', {});
  await permitCheck(client, netuid, common.uid, uids);
  const result = await send(client, client.api.tx.subtensorModule.setWeights(netuid, uids, values, versionKey), params.signer, params, { netuid, hotkey: common.hotkey });
  return { ...result, uids, values };
}

/** Parameters of {@link commitWeights}. */
export interface CommitWeightsParameters extends SetWeightsParameters {
  /** The salt (u16 values). @default 8 random u16 */
  readonly salt?: readonly number[];
}

/** Everything needed to reveal a commit, and its window. */
export interface WeightsCommit {
  readonly netuid: number;
  readonly hotkey: string;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly salt: readonly number[];
  readonly versionKey: bigint;
  readonly commitHash: string;
  readonly commitBlock: number;
  /** The first block a reveal may be in. */
  readonly firstRevealBlock: number;
  /** The last block a reveal may be in; later, the commit has expired. */
  readonly lastRevealBlock: number;
}

/** The result of {@link commitWeights}. */
export interface CommitWeightsResult extends SubmitResult {
  readonly commit: WeightsCommit;
}

/** The reveal window of a commit made at `commitBlock` (spec §7.2). */
export function revealWindow(commitBlock: number, netuid: number, tempo: number, periodEpochs: number): { firstRevealBlock: number; lastRevealBlock: number } {
  const epoch = Math.floor((commitBlock + netuid + 1) / (tempo + 1));
  const first = (epoch + periodEpochs) * (tempo + 1) - (netuid + 1);
  return { firstRevealBlock: first, lastRevealBlock: first + tempo };
}

/**
 * Commits the hash of processed weights (legacy commit-reveal, spec §7.2) and returns what the reveal
 * needs. Pre-flight: `CommitRevealDisabled`, `HotKeyNotRegisteredInSubNet`, `IncorrectWeightVersionKey`,
 * `CommittingWeightsTooFast`, `NeuronNoValidatorPermit`.
 * @example
 * const { commit } = await commitWeights(client, { signer: hotkey, netuid: 1, uids: [0, 1], weights: [1, 3] });
 * // … at commit.firstRevealBlock: await revealWeights(client, { signer: hotkey, commit });
 */
export async function commitWeights(client: ChainClient, params: CommitWeightsParameters): Promise<CommitWeightsResult> {
  const netuid = checkNetuid(params.netuid);
  const versionKey = versionOf(params.versionKey);
  client.runtime.requireCall('SubtensorModule', 'commit_weights');
  if (!(await queryBool(client, 'SubtensorModule', 'CommitRevealWeightsEnabled', netuid))) preflight('CommitRevealDisabled', 'the subnet does not use commit-reveal: use setWeights');
  const common = await commonChecks(client, netuid, params.signer, versionKey, 'CommittingWeightsTooFast');
  const { uids, values } = await prepareWeights(client, netuid, params);
  if (uids.length === 0) throw new InvalidParametersError('every weight is zero: nothing to commit', {});
  await permitCheck(client, netuid, common.uid, uids);
  const salt = params.salt ? [...params.salt] : Array.from(randomBytes(16).reduce<number[]>((acc, b, i, all) => (i % 2 === 0 ? [...acc, b | (all[i + 1]! << 8)] : acc), []));
  const commitHash = weightsCommitHash({ hotkey: common.hotkey, netuid, uids, values, salt, versionKey });
  const result = await send(client, client.api.tx.subtensorModule.commitWeights(netuid, commitHash), params.signer, params, { netuid, hotkey: common.hotkey });
  const [tempo, period] = await Promise.all([queryNumber(client, 'SubtensorModule', 'Tempo', netuid), queryNumber(client, 'SubtensorModule', 'RevealPeriodEpochs', netuid)]);
  const window = revealWindow(result.blockNumber, netuid, tempo, period);
  return { ...result, commit: { netuid, hotkey: common.hotkey, uids, values, salt, versionKey, commitHash, commitBlock: result.blockNumber, ...window } };
}

/** Parameters of {@link revealWeights}. */
export interface RevealWeightsParameters extends SubmitOptions {
  /** The hotkey that committed. */
  readonly signer: Signer;
  readonly commit: Pick<WeightsCommit, 'netuid' | 'uids' | 'values' | 'salt' | 'versionKey'>;
}

/**
 * Reveals a commit. Pre-flight: `NoWeightsCommitFound` (no pending commit with this hash),
 * `RevealTooEarly` (remedy: the first reveal block), `ExpiredWeightCommit`.
 * @example await revealWeights(client, { signer: hotkey, commit });
 */
export async function revealWeights(client: ChainClient, params: RevealWeightsParameters): Promise<SubmitResult> {
  const { commit } = params;
  const netuid = checkNetuid(commit.netuid);
  const hotkey = addressOf(params.signer);
  const hash = weightsCommitHash({ hotkey, netuid, uids: commit.uids, values: commit.values, salt: commit.salt, versionKey: commit.versionKey });
  const pending = ((await queryItem(client, 'SubtensorModule', 'WeightCommits', netuid, hotkey)).toJSON() as Array<[string, number, number, number]> | null) ?? [];
  const entry = pending.find(([h]) => h === hash);
  if (!entry) preflight('NoWeightsCommitFound', 'no pending commit of these weights, salt and version key from this hotkey');
  const [, , first, last] = entry!.map(Number) as [number, number, number, number];
  const nextBlock = (await bestBlockNumber(client)) + 1;
  if (nextBlock < first) preflight('RevealTooEarly', `reveal from block ${first} to ${last}`, { firstRevealBlock: first, lastRevealBlock: last });
  if (nextBlock > last) preflight('ExpiredWeightCommit', `the reveal window closed at block ${last}; commit again`, { lastRevealBlock: last });
  const tx = client.api.tx.subtensorModule.revealWeights(netuid, [...commit.uids], [...commit.values], [...commit.salt], commit.versionKey);
  return send(client, tx, params.signer, params, { netuid, hotkey });
}

/** Parameters of {@link commitAndRevealWeights}. */
export interface CommitAndRevealParameters extends CommitWeightsParameters {
  /** The longest wait for the reveal window. @default (blocks to wait + 2) × 12 s */
  readonly revealTimeoutMs?: number;
  /** Poll interval of the block number while waiting. @default 1000 */
  readonly pollMs?: number;
}

/** Errors of {@link commitAndRevealWeights}. */
export type CommitAndRevealErrorType = SubmitErrorType | RequestTimeoutError;

/**
 * Commits, waits (bounded) until the reveal window opens, and reveals.
 * @example const { reveal } = await commitAndRevealWeights(client, { signer: hotkey, netuid: 1, uids: [0, 1], weights: [1, 3] });
 */
export async function commitAndRevealWeights(client: ChainClient, params: CommitAndRevealParameters): Promise<{ commit: CommitWeightsResult; reveal: SubmitResult }> {
  const committed = await commitWeights(client, params);
  const { firstRevealBlock } = committed.commit;
  const timeoutMs = params.revealTimeoutMs ?? (Math.max(0, firstRevealBlock - committed.blockNumber) + 2) * 12_000;
  // The reveal must be in a block ≥ firstRevealBlock: submit once the best block is the one before it.
  await waitForBlock(client, firstRevealBlock - 1, { timeoutMs, ...(params.pollMs !== undefined ? { pollMs: params.pollMs } : {}) });
  const reveal = await revealWeights(client, { signer: params.signer, commit: committed.commit, ...(params.waitFor ? { waitFor: params.waitFor } : {}), ...(params.timeoutMs !== undefined ? { timeoutMs: params.timeoutMs } : {}) });
  return { commit: committed, reveal };
}
