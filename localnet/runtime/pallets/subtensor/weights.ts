/**
 * Weights (spec §7, §4.3): `set_weights` and `batch_set_weights`, commit-reveal v2 (`commit_weights`,
 * `batch_commit_weights`, `reveal_weights`, `batch_reveal_weights`) and `set_root_weights`.
 *
 * Only dispatch-time checks are ported. The runtime's signed extension also refuses some of these
 * calls in the transaction pool (`InvalidTransaction::Custom`, e.g. a hotkey below `StakeThreshold`);
 * here such a call is included and fails with the dispatch error instead — or succeeds where only the
 * pool checked (commits have no dispatch-time stake check). `commit_crv3_weights` needs drand and is
 * not implemented.
 */
import { compactToU8a, u8aConcat, hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { I32F32, div as divFixed, fromInt, maxUpscaleToU16, sum } from '../../../../consensus/fixed/bigint';
import type { RuntimeContext } from '../../context';
import type { CallTable } from '../../dispatch';
import { DispatchError } from '../../errors';
import type { AccountId, Hex } from '../../primitives';
import { ensureSigned } from '../system';
import { ROOT_NETUID, blockNumber, coldkeyOwnsHotkey, hotkeyAccountExists, networkExists, setVecEntry, stakeOnSubnet, stErr } from './common';
import { st } from './items';

const U16_MAX = 65535;
/** At most this many unrevealed commits per (netuid, hotkey) (spec §7.2). */
const MAX_UNREVEALED_COMMITS = 10;

/** One entry of `WeightCommits[netuid][hotkey]`: (hash, commit block, first reveal block, last reveal block). */
type WeightCommit = [Hex, bigint, bigint, bigint];

// ---- per-uid reads and writes ---------------------------------------------------------------------

/** `get_uid_for_net_and_hotkey`; callers have already checked registration. */
function uidOf(ctx: RuntimeContext, netuid: number, hotkey: AccountId): number {
  const uid = st().Uids.get(ctx.state, netuid, hotkey);
  if (uid === null) throw stErr('HotKeyNotRegisteredInSubNet');
  return uid;
}

/** `is_hotkey_registered_on_network`: `Uids[netuid][hotkey]` exists. */
function isRegistered(ctx: RuntimeContext, netuid: number, hotkey: AccountId): boolean {
  return st().Uids.has(ctx.state, netuid, hotkey);
}

/** `is_uid_exist_on_network`: `Keys[netuid][uid]` exists. */
function uidExists(ctx: RuntimeContext, netuid: number, uid: number): boolean {
  return st().Keys.has(ctx.state, netuid, uid);
}

function lastUpdateOf(ctx: RuntimeContext, netuid: number, uid: number): bigint {
  return st().LastUpdate.get(ctx.state, netuid)[uid] ?? 0n;
}

/** `set_last_update_for_uid`: a uid beyond the vector's end is left alone (the runtime never extends it here). */
function setLastUpdate(ctx: RuntimeContext, netuid: number, uid: number, block: bigint): void {
  if (uid < st().LastUpdate.get(ctx.state, netuid).length) setVecEntry(ctx, st().LastUpdate, netuid, uid, block, 0n);
}

function hasValidatorPermit(ctx: RuntimeContext, netuid: number, uid: number): boolean {
  return st().ValidatorPermit.get(ctx.state, netuid)[uid] ?? false;
}

// ---- the checks of do_set_weights (spec §7.1) -----------------------------------------------------

/** `check_version_key` (§7.1 step 7). */
function versionKeyOk(ctx: RuntimeContext, netuid: number, versionKey: bigint): boolean {
  const required = st().WeightsVersionKey.get(ctx.state, netuid);
  return required === 0n || versionKey >= required;
}

/** `check_rate_limit` (§7.1 step 8): a uid that never set weights (LastUpdate 0) may always set them. */
function rateLimitOk(ctx: RuntimeContext, netuid: number, uid: number): boolean {
  if (!uidExists(ctx, netuid, uid)) return false;
  const last = lastUpdateOf(ctx, netuid, uid);
  if (last === 0n) return true;
  const now = blockNumber(ctx);
  const elapsed = now > last ? now - last : 0n;
  return elapsed >= st().WeightsSetRateLimit.get(ctx.state, netuid);
}

/** `is_self_weight` (§7.1 step 9): exactly one weight, and its dest is the caller's own uid. */
function isSelfWeight(uid: number, uids: readonly number[], values: readonly number[]): boolean {
  return values.length === 1 && uids[0] === uid;
}

function hasDuplicates(uids: readonly number[]): boolean {
  return new Set(uids).size !== uids.length;
}

function containsInvalidUids(ctx: RuntimeContext, netuid: number, uids: readonly number[]): boolean {
  return uids.some((uid) => !uidExists(ctx, netuid, uid));
}

/** `check_length` (§7.1 step 12, §4.3): the self-weight exemption does not apply on the root network. */
function lengthOk(ctx: RuntimeContext, netuid: number, uid: number, uids: readonly number[], values: readonly number[]): boolean {
  const n = st().SubnetworkN.get(ctx.state, netuid);
  const minAllowed = Math.min(n, st().MinAllowedWeights.get(ctx.state, netuid));
  if (netuid !== ROOT_NETUID && isSelfWeight(uid, uids, values)) return true;
  return values.length >= minAllowed;
}

/** `check_vec_max_limited`: the largest share of the I32F32-normalized weights is at most `limit / 65535`. */
function vecMaxLimited(weights: readonly number[], limit: number): boolean {
  if (weights.length === 0) return true;
  const limitFixed = divFixed(I32F32, fromInt(I32F32, limit), fromInt(I32F32, U16_MAX));
  let fixed = weights.map((w) => fromInt(I32F32, w));
  const total = sum(fixed);
  if (total !== 0n) fixed = fixed.map((w) => divFixed(I32F32, w, total));
  return fixed.reduce((a, b) => (b > a ? b : a)) <= limitFixed;
}

/** `max_weight_limited` (§7.1 step 13), on the max-upscaled weights. */
function maxWeightOk(ctx: RuntimeContext, netuid: number, uid: number, uids: readonly number[], upscaled: readonly number[]): boolean {
  if (isSelfWeight(uid, uids, upscaled)) return true;
  const limit = st().MaxWeightsLimit.get(ctx.state, netuid);
  return limit === U16_MAX || vecMaxLimited(upscaled, limit);
}

/** `vec_u16_max_upscale_to_u16`: u16 weights converted exactly to I32F32, then maxup16 (§1). */
function maxUpscale(values: readonly number[]): number[] {
  return maxUpscaleToU16(values.map((v) => fromInt(I32F32, v)));
}

/** Writes `Weights[netuid][uid] = zip(uids, upscaled)`. */
function storeWeights(ctx: RuntimeContext, netuid: number, uid: number, uids: readonly number[], upscaled: readonly number[]): void {
  st().Weights.set(ctx.state, netuid, uid, uids.map((dest, i): [number, number] => [dest, upscaled[i]!]));
}

/**
 * `do_set_weights` (spec §7.1, checks 1–14 in the runtime's order). With commit-reveal enabled (a
 * reveal) the rate limit is skipped and `LastUpdate` is not touched.
 */
function doSetWeights(ctx: RuntimeContext, hotkey: AccountId, netuid: number, uids: readonly number[], values: readonly number[], versionKey: bigint): void {
  const s = st();
  if (netuid === ROOT_NETUID) throw stErr('CanNotSetRootNetworkWeights');
  if (uids.length !== values.length) throw stErr('WeightVecNotEqualSize');
  if (!networkExists(ctx, netuid)) throw stErr('SubNetworkDoesNotExist');
  if (uids.length > s.SubnetworkN.get(ctx.state, netuid)) throw stErr('UidsLengthExceedUidsInSubNet');
  if (!isRegistered(ctx, netuid, hotkey)) throw stErr('HotKeyNotRegisteredInSubNet');
  if (stakeOnSubnet(ctx, hotkey, netuid) < s.StakeThreshold.get(ctx.state)) throw stErr('NotEnoughStakeToSetWeights');
  if (!versionKeyOk(ctx, netuid, versionKey)) throw stErr('IncorrectWeightVersionKey');
  const uid = uidOf(ctx, netuid, hotkey);
  const commitReveal = s.CommitRevealWeightsEnabled.get(ctx.state, netuid);
  if (!commitReveal && !rateLimitOk(ctx, netuid, uid)) throw stErr('SettingWeightsTooFast');
  if (!isSelfWeight(uid, uids, values) && !hasValidatorPermit(ctx, netuid, uid)) throw stErr('NeuronNoValidatorPermit');
  if (hasDuplicates(uids)) throw stErr('DuplicateUids');
  if (containsInvalidUids(ctx, netuid, uids)) throw stErr('UidVecContainInvalidOne');
  if (!lengthOk(ctx, netuid, uid, uids, values)) throw stErr('WeightVecLengthIsLow');
  const upscaled = maxUpscale(values);
  if (!maxWeightOk(ctx, netuid, uid, uids, upscaled)) throw stErr('MaxWeightExceeded');
  storeWeights(ctx, netuid, uid, uids, upscaled);
  if (!commitReveal) setLastUpdate(ctx, netuid, uid, blockNumber(ctx));
  ctx.deposit({ SubtensorModule: { WeightsSet: [netuid, uid] } });
}

// ---- set_root_weights (spec §4.3) -----------------------------------------------------------------

/** `contains_invalid_root_uids`: every dest must be an existing netuid (root itself included). */
function containsInvalidNetuids(ctx: RuntimeContext, netuids: readonly number[]): boolean {
  return netuids.some((netuid) => !networkExists(ctx, netuid));
}

/** `do_set_root_weights` (spec §4.3): signed by the hotkey's coldkey; dests are netuids. */
function doSetRootWeights(ctx: RuntimeContext, coldkey: AccountId, netuid: number, hotkey: AccountId, dests: readonly number[], values: readonly number[], versionKey: bigint): void {
  const s = st();
  if (!hotkeyAccountExists(ctx, hotkey)) throw stErr('HotKeyAccountNotExists');
  if (!coldkeyOwnsHotkey(ctx, coldkey, hotkey)) throw stErr('NonAssociatedColdKey');
  if (!networkExists(ctx, netuid)) throw stErr('SubNetworkDoesNotExist');
  if (netuid !== ROOT_NETUID) throw stErr('NotRootSubnet');
  if (dests.length !== values.length) throw stErr('WeightVecNotEqualSize');
  if (containsInvalidNetuids(ctx, dests)) throw stErr('UidVecContainInvalidOne');
  if (!isRegistered(ctx, netuid, hotkey)) throw stErr('HotKeyNotRegisteredInSubNet');
  if (s.TotalHotkeyStake.get(ctx.state, hotkey) < s.StakeThreshold.get(ctx.state)) throw stErr('NotEnoughStakeToSetWeights');
  if (!versionKeyOk(ctx, netuid, versionKey)) throw stErr('IncorrectWeightVersionKey');
  const uid = uidOf(ctx, netuid, hotkey);
  if (!rateLimitOk(ctx, netuid, uid)) throw stErr('SettingWeightsTooFast');
  if (hasDuplicates(dests)) throw stErr('DuplicateUids');
  if (!lengthOk(ctx, netuid, uid, dests, values)) throw stErr('WeightVecLengthIsLow');
  const upscaled = maxUpscale(values);
  // The runtime applies the subnet self-weight exemption here too, comparing the root uid with a netuid.
  if (!maxWeightOk(ctx, netuid, uid, dests, upscaled)) throw stErr('MaxWeightExceeded');
  storeWeights(ctx, netuid, uid, dests, upscaled);
  setLastUpdate(ctx, netuid, uid, blockNumber(ctx));
  ctx.deposit({ SubtensorModule: { WeightsSet: [netuid, uid] } });
}

// ---- commit-reveal v2 (spec §7.2) -----------------------------------------------------------------

/** `get_epoch_index`: ⌊(block + netuid + 1) / (tempo + 1)⌋. */
function epochIndex(ctx: RuntimeContext, netuid: number, block: bigint): bigint {
  const tempo = BigInt(st().Tempo.get(ctx.state, netuid));
  return (block + BigInt(netuid) + 1n) / (tempo + 1n);
}

function revealEpochOf(ctx: RuntimeContext, netuid: number, commitBlock: bigint): bigint {
  return epochIndex(ctx, netuid, commitBlock) + st().RevealPeriodEpochs.get(ctx.state, netuid);
}

/** `is_commit_expired`: the current epoch is past the commit's reveal epoch. */
function isCommitExpired(ctx: RuntimeContext, netuid: number, commitBlock: bigint): boolean {
  return epochIndex(ctx, netuid, blockNumber(ctx)) > revealEpochOf(ctx, netuid, commitBlock);
}

/** `is_reveal_block_range`: the current epoch is exactly the commit's reveal epoch. */
function isInRevealWindow(ctx: RuntimeContext, netuid: number, commitBlock: bigint): boolean {
  return epochIndex(ctx, netuid, blockNumber(ctx)) === revealEpochOf(ctx, netuid, commitBlock);
}

/** `get_reveal_blocks`: the first and last block of the commit's reveal epoch (saturating at 0). */
function revealBlocks(ctx: RuntimeContext, netuid: number, commitBlock: bigint): [bigint, bigint] {
  const tempo = BigInt(st().Tempo.get(ctx.state, netuid));
  const start = revealEpochOf(ctx, netuid, commitBlock) * (tempo + 1n) - (BigInt(netuid) + 1n);
  const first = start < 0n ? 0n : start;
  return [first, first + tempo];
}

/** Drops expired commits from the queue's front; returns the dropped hashes. */
function popExpired(ctx: RuntimeContext, netuid: number, commits: WeightCommit[]): Hex[] {
  const expired: Hex[] = [];
  while (commits.length > 0 && isCommitExpired(ctx, netuid, commits[0]![1])) expired.push(commits.shift()![0]);
  return expired;
}

function u16Vec(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v, true));
  return u8aConcat(compactToU8a(values.length), out);
}

function u16Le(value: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, value, true);
  return out;
}

function u64Le(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

/**
 * The commit hash (spec §7.2): blake2_256 of the SCALE tuple `(hotkey: AccountId32, netuid: u16,
 * uids: Vec<u16>, values: Vec<u16>, salt: Vec<u16>, version_key: u64)`.
 */
export function commitHash(hotkey: AccountId, netuid: number, uids: readonly number[], values: readonly number[], salt: readonly number[], versionKey: bigint): Hex {
  const encoded = u8aConcat(hexToU8a(hotkey), u16Le(netuid), u16Vec(uids), u16Vec(values), u16Vec(salt), u64Le(versionKey));
  return blake2AsHex(encoded, 256) as Hex;
}

/** `do_commit_weights` (spec §7.2). `LastUpdate` is refreshed by commits, not by reveals. */
function doCommitWeights(ctx: RuntimeContext, hotkey: AccountId, netuid: number, hash: Hex): void {
  const s = st();
  if (!s.CommitRevealWeightsEnabled.get(ctx.state, netuid)) throw stErr('CommitRevealDisabled');
  if (!isRegistered(ctx, netuid, hotkey)) throw stErr('HotKeyNotRegisteredInSubNet');
  const block = blockNumber(ctx);
  const uid = uidOf(ctx, netuid, hotkey);
  if (!rateLimitOk(ctx, netuid, uid)) throw stErr('CommittingWeightsTooFast');
  const [first, last] = revealBlocks(ctx, netuid, block);
  const commits = [...(s.WeightCommits.get(ctx.state, netuid, hotkey) ?? [])];
  popExpired(ctx, netuid, commits);
  if (commits.length >= MAX_UNREVEALED_COMMITS) throw stErr('TooManyUnrevealedCommits');
  commits.push([hash, block, first, last]);
  s.WeightCommits.set(ctx.state, netuid, hotkey, commits);
  ctx.deposit({ SubtensorModule: { WeightsCommitted: [hotkey, netuid, hash] } });
  setLastUpdate(ctx, netuid, uid, block);
}

/** Stores the queue back, removing the entry when it is empty. */
function putCommits(ctx: RuntimeContext, netuid: number, hotkey: AccountId, commits: WeightCommit[]): void {
  if (commits.length === 0) st().WeightCommits.remove(ctx.state, netuid, hotkey);
  else st().WeightCommits.set(ctx.state, netuid, hotkey, commits);
}

/** The error for a hash found among no live commits: it expired, or it never matched. */
function unmatchedHashError(expired: readonly Hex[], hash: Hex): DispatchError {
  return stErr(expired.includes(hash) ? 'ExpiredWeightCommit' : 'InvalidRevealCommitHashNotMatch');
}

/** The commit queue of `hotkey` on `netuid`, or `NoWeightsCommitFound`. */
function commitsOf(ctx: RuntimeContext, netuid: number, hotkey: AccountId): WeightCommit[] {
  const stored = st().WeightCommits.get(ctx.state, netuid, hotkey);
  if (stored === null) throw stErr('NoWeightsCommitFound');
  return [...stored];
}

interface Reveal {
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly salt: readonly number[];
  readonly versionKey: bigint;
}

/**
 * `do_reveal_weights` (spec §7.2): the revealed commit and every older one leave the queue, then the
 * weights go through `do_set_weights` (no rate limit, no `LastUpdate`).
 */
function doRevealWeights(ctx: RuntimeContext, hotkey: AccountId, netuid: number, reveal: Reveal): void {
  if (!st().CommitRevealWeightsEnabled.get(ctx.state, netuid)) throw stErr('CommitRevealDisabled');
  const commits = commitsOf(ctx, netuid, hotkey);
  const expired = popExpired(ctx, netuid, commits);
  const hash = commitHash(hotkey, netuid, reveal.uids, reveal.values, reveal.salt, reveal.versionKey);
  if (commits.length === 0) throw stErr(expired.includes(hash) ? 'ExpiredWeightCommit' : 'NoWeightsCommitFound');
  const position = commits.findIndex(([h]) => h === hash);
  if (position < 0) throw unmatchedHashError(expired, hash);
  if (!isInRevealWindow(ctx, netuid, commits[position]![1])) throw stErr('RevealTooEarly');
  putCommits(ctx, netuid, hotkey, commits.slice(position + 1));
  doSetWeights(ctx, hotkey, netuid, reveal.uids, reveal.values, reveal.versionKey);
  ctx.deposit({ SubtensorModule: { WeightsRevealed: [hotkey, netuid, hash] } });
}

/**
 * `do_batch_reveal_weights` (spec §7.2): every reveal is validated before any is applied; unlike a
 * single reveal, each applied reveal removes only its own commit.
 */
function doBatchRevealWeights(ctx: RuntimeContext, hotkey: AccountId, netuid: number, reveals: readonly Reveal[]): void {
  if (!st().CommitRevealWeightsEnabled.get(ctx.state, netuid)) throw stErr('CommitRevealDisabled');
  const commits = commitsOf(ctx, netuid, hotkey);
  const expired = popExpired(ctx, netuid, commits);
  const hashes = reveals.map((r) => commitHash(hotkey, netuid, r.uids, r.values, r.salt, r.versionKey));
  for (const hash of hashes) {
    const commit = commits.find(([h]) => h === hash);
    if (!commit) throw unmatchedHashError(expired, hash);
    if (!isInRevealWindow(ctx, netuid, commit[1])) throw stErr('RevealTooEarly');
  }
  const revealed: Hex[] = [];
  reveals.forEach((reveal, i) => {
    const hash = hashes[i]!;
    const position = commits.findIndex(([h]) => h === hash);
    // A hash revealed twice in one batch is found the first time only.
    if (position < 0) throw unmatchedHashError(expired, hash);
    commits.splice(position, 1);
    doSetWeights(ctx, hotkey, netuid, reveal.uids, reveal.values, reveal.versionKey);
    revealed.push(hash);
  });
  putCommits(ctx, netuid, hotkey, commits);
  ctx.deposit({ SubtensorModule: { WeightsBatchRevealed: [hotkey, netuid, revealed] } });
}

// ---- batches (spec §7.1) --------------------------------------------------------------------------

/**
 * Runs each item in its own storage layer and collects the failures; then, as the runtime does after
 * all items ran: `BatchCompletedWithErrors` once (if any failed), one `BatchWeightItemFailed(err)` per
 * failure in item order, and always `BatchWeightsCompleted(netuids, hotkey)`. The call itself succeeds.
 */
function runWeightsBatch(ctx: RuntimeContext, hotkey: AccountId, netuids: readonly number[], items: ReadonlyArray<() => void>): void {
  const failures: DispatchError[] = [];
  for (const item of items) {
    try {
      ctx.transactional(item);
    } catch (err) {
      if (!(err instanceof DispatchError)) throw err;
      failures.push(err);
    }
  }
  if (failures.length > 0) ctx.deposit({ SubtensorModule: { BatchCompletedWithErrors: null } });
  for (const err of failures) ctx.deposit({ SubtensorModule: { BatchWeightItemFailed: err.value } });
  ctx.deposit({ SubtensorModule: { BatchWeightsCompleted: [[...netuids], hotkey] } });
}

/** `do_batch_set_weights` (spec §7.1): each item is `set_weights` (commit-reveal check included). */
function doBatchSetWeights(ctx: RuntimeContext, hotkey: AccountId, netuids: readonly number[], weights: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, versionKeys: readonly bigint[]): void {
  if (netuids.length !== weights.length || netuids.length !== versionKeys.length) throw stErr('InputLengthsUnequal');
  const items = netuids.map((netuid, i) => () => {
    if (st().CommitRevealWeightsEnabled.get(ctx.state, netuid)) throw stErr('CommitRevealEnabled');
    const pairs = weights[i]!;
    doSetWeights(ctx, hotkey, netuid, pairs.map(([uid]) => uid), pairs.map(([, value]) => value), versionKeys[i]!);
  });
  runWeightsBatch(ctx, hotkey, netuids, items);
}

/** `do_batch_commit_weights` (spec §7.2): each item is `commit_weights`. */
function doBatchCommitWeights(ctx: RuntimeContext, hotkey: AccountId, netuids: readonly number[], hashes: readonly Hex[]): void {
  if (netuids.length !== hashes.length) throw stErr('InputLengthsUnequal');
  const items = netuids.map((netuid, i) => () => doCommitWeights(ctx, hotkey, netuid, hashes[i]!));
  runWeightsBatch(ctx, hotkey, netuids, items);
}

// ---- call table -----------------------------------------------------------------------------------

interface SetWeightsArgs {
  netuid: number;
  dests: number[];
  weights: number[];
  version_key: bigint;
}
interface BatchSetWeightsArgs {
  netuids: number[];
  weights: Array<Array<[number, number]>>;
  version_keys: bigint[];
}
interface CommitWeightsArgs {
  netuid: number;
  commit_hash: Hex;
}
interface BatchCommitWeightsArgs {
  netuids: number[];
  commit_hashes: Hex[];
}
interface RevealWeightsArgs {
  netuid: number;
  uids: number[];
  values: number[];
  salt: number[];
  version_key: bigint;
}
interface BatchRevealWeightsArgs {
  netuid: number;
  uids_list: number[][];
  values_list: number[][];
  salts_list: number[][];
  version_keys: bigint[];
}
interface SetRootWeightsArgs extends SetWeightsArgs {
  hotkey: AccountId;
}

/** Call args arrive decoded from the metadata's types, so their shape is known. */
const argsAs = <T>(args: Record<string, unknown>): T => args as unknown as T;

export const weightsCalls: CallTable = {
  /** `set_weights` (call 0, spec §7.1): refused while commit-reveal is on (checked before the origin). */
  set_weights(ctx, origin, args) {
    const a = argsAs<SetWeightsArgs>(args);
    if (st().CommitRevealWeightsEnabled.get(ctx.state, a.netuid)) throw stErr('CommitRevealEnabled');
    doSetWeights(ctx, ensureSigned(origin), a.netuid, a.dests, a.weights, a.version_key);
  },
  /** `batch_set_weights` (call 80, spec §7.1). */
  batch_set_weights(ctx, origin, args) {
    const hotkey = ensureSigned(origin);
    const a = argsAs<BatchSetWeightsArgs>(args);
    doBatchSetWeights(ctx, hotkey, a.netuids, a.weights, a.version_keys);
  },
  /** `commit_weights` (call 96, spec §7.2). */
  commit_weights(ctx, origin, args) {
    const hotkey = ensureSigned(origin);
    const a = argsAs<CommitWeightsArgs>(args);
    doCommitWeights(ctx, hotkey, a.netuid, a.commit_hash);
  },
  /** `batch_commit_weights` (call 100, spec §7.2). */
  batch_commit_weights(ctx, origin, args) {
    const hotkey = ensureSigned(origin);
    const a = argsAs<BatchCommitWeightsArgs>(args);
    doBatchCommitWeights(ctx, hotkey, a.netuids, a.commit_hashes);
  },
  /** `reveal_weights` (call 97, spec §7.2). */
  reveal_weights(ctx, origin, args) {
    const hotkey = ensureSigned(origin);
    const a = argsAs<RevealWeightsArgs>(args);
    doRevealWeights(ctx, hotkey, a.netuid, { uids: a.uids, values: a.values, salt: a.salt, versionKey: a.version_key });
  },
  /** `batch_reveal_weights` (call 98, spec §7.2): the length check precedes the origin check. */
  batch_reveal_weights(ctx, origin, args) {
    const a = argsAs<BatchRevealWeightsArgs>(args);
    const n = a.uids_list.length;
    if (a.values_list.length !== n || a.salts_list.length !== n || a.version_keys.length !== n) throw stErr('InputLengthsUnequal');
    const hotkey = ensureSigned(origin);
    const reveals = a.uids_list.map((uids, i): Reveal => ({ uids, values: a.values_list[i]!, salt: a.salts_list[i]!, versionKey: a.version_keys[i]! }));
    doBatchRevealWeights(ctx, hotkey, a.netuid, reveals);
  },
  /** `set_root_weights` (call 8, spec §4.3): signed by the coldkey that owns `hotkey`. */
  set_root_weights(ctx, origin, args) {
    const coldkey = ensureSigned(origin);
    const a = argsAs<SetRootWeightsArgs>(args);
    doSetRootWeights(ctx, coldkey, a.netuid, a.hotkey, a.dests, a.weights, a.version_key);
  },
};
