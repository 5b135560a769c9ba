/**
 * Root membership (spec §4.2): the root network holds at most `MaxAllowedUids[0]` (64) seats. A
 * newcomer takes a free seat while there is one; once full, it replaces the member with the lowest
 * `TotalHotkeyStake` (the first in uid order on ties), and only with strictly more stake.
 */
import { RootNetworkError } from './errors';

/** Root seats of the runtime (`MaxAllowedUids[0]`). */
export const ROOT_MAX_SEATS = 64;

/** A seated root member. */
export interface RootMember {
  readonly uid: number;
  readonly hotkey: string;
  /** `TotalHotkeyStake[hotkey]`, rao. */
  readonly stake: bigint;
}

/** A hotkey asking for a root seat (`root_register`). */
export interface RootCandidate {
  readonly hotkey: string;
  /** `TotalHotkeyStake[hotkey]`, rao. */
  readonly stake: bigint;
}

/** What `root_register` does with a candidate. */
export type RootSeatDecision =
  /** A free seat: the candidate is appended with uid = the current member count. */
  | { readonly kind: 'append'; readonly uid: number }
  /** The root network is full: the candidate takes `uid` from `replaced`. */
  | { readonly kind: 'replace'; readonly uid: number; readonly replaced: string }
  /** Refused, with the chain's error name. */
  | { readonly kind: 'rejected'; readonly reason: 'HotKeyAlreadyRegisteredInSubNet' | 'StakeTooLowForRoot' };

/**
 * Decides `root_register`'s seat for `candidate` given the current `members` (spec §4.2): already a
 * member → `HotKeyAlreadyRegisteredInSubNet`; fewer than `maxSeats` members → append; otherwise the
 * lowest-stake member (first in uid order on ties) is replaced when the candidate has strictly more
 * stake, else `StakeTooLowForRoot`.
 *
 * @param maxSeats `MaxAllowedUids[0]`. @default 64
 * @example decideRootSeat([{uid: 0, hotkey: 'a', stake: 5n}], {hotkey: 'b', stake: 9n}, 1) // {kind: 'replace', uid: 0, replaced: 'a'}
 * @throws {RootNetworkError} `InvalidArgument` for a negative stake or a `maxSeats` that is not a positive integer.
 */
export function decideRootSeat(members: readonly RootMember[], candidate: RootCandidate, maxSeats: number = ROOT_MAX_SEATS): RootSeatDecision {
  if (!Number.isInteger(maxSeats) || maxSeats < 1) throw new RootNetworkError('InvalidArgument', `maxSeats must be a positive integer (got ${maxSeats})`, { maxSeats });
  for (const s of [candidate.stake, ...members.map((m) => m.stake)]) {
    if (s < 0n) throw new RootNetworkError('InvalidArgument', `stake must be non-negative (got ${s})`, { stake: String(s) });
  }
  if (members.some((m) => m.hotkey === candidate.hotkey)) return { kind: 'rejected', reason: 'HotKeyAlreadyRegisteredInSubNet' };
  if (members.length < maxSeats) return { kind: 'append', uid: members.length };
  const weakest = [...members].sort((a, b) => a.uid - b.uid).reduce((low, m) => (m.stake < low.stake ? m : low));
  if (weakest.stake >= candidate.stake) return { kind: 'rejected', reason: 'StakeTooLowForRoot' };
  return { kind: 'replace', uid: weakest.uid, replaced: weakest.hotkey };
}

/**
 * Applies {@link decideRootSeat} to a membership list: the members after the candidate's
 * registration (unchanged when rejected), in uid order.
 */
export function applyRootSeat(members: readonly RootMember[], candidate: RootCandidate, maxSeats: number = ROOT_MAX_SEATS): RootMember[] {
  const decision = decideRootSeat(members, candidate, maxSeats);
  const next = [...members].sort((a, b) => a.uid - b.uid);
  if (decision.kind === 'append') next.push({ uid: decision.uid, hotkey: candidate.hotkey, stake: candidate.stake });
  if (decision.kind === 'replace') return next.map((m) => (m.uid === decision.uid ? { uid: m.uid, hotkey: candidate.hotkey, stake: candidate.stake } : m));
  return next;
}
