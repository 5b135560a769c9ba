/**
 * On-chain identities: a coldkey's (`set_identity`, `Identities`) and a subnet's (`set_subnet_identity`,
 * `SubnetIdentities`), with the runtime's byte limits checked before submission. Calls are built from
 * the runtime's metadata, so a runtime with another identity shape fails with `UnsupportedRuntimeError`.
 */
import type { Call } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';
import { compactAddLength } from '@polkadot/util';
import type { ChainClient } from '../connect';
import type { UnsupportedRuntimeError } from '../errors';
import type { RuntimeView } from '../runtime';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { buildCall } from './calls';
import { addressOf, checkNetuid, send, type SubmitOptions } from './common';
import { DispatchFailedError, InvalidParametersError } from './errors';
import type { SubnetIdentity } from './network';
import { networks, queryItem, uidOf } from './query';

/** A coldkey's on-chain identity (`ChainIdentityOf`), as UTF-8 text. */
export interface ChainIdentity {
  readonly name: string;
  readonly url: string;
  readonly image: string;
  readonly discord: string;
  readonly description: string;
  readonly additional: string;
}

/** `is_valid_identity`: bytes per field (the runtime's total limit is their sum, so only these bind). */
const CHAIN_IDENTITY_LIMITS: Readonly<Record<keyof ChainIdentity, number>> = { name: 256, url: 256, image: 1024, discord: 256, description: 1024, additional: 1024 };
/** `is_valid_subnet_identity`: bytes per field. */
const SUBNET_IDENTITY_LIMITS: Readonly<Record<keyof SubnetIdentity, number>> = { subnetName: 256, githubRepo: 1024, subnetContact: 1024 };

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** A `Bytes` argument: polkadot.js reads a Uint8Array as SCALE (length-prefixed) and a `0x…` string as hex, so prefix explicitly. */
export const bytesArg = (text: string): Uint8Array => compactAddLength(utf8(text));

/**
 * The fields of `identity` over their byte limit, as `name is 300 bytes (at most 256)`; empty when valid.
 * @throws InvalidParametersError when a field is not a string
 */
function identityViolations<K extends string>(identity: Readonly<Record<K, string>>, limits: Readonly<Record<K, number>>): string[] {
  const out: string[] = [];
  for (const field of Object.keys(limits) as K[]) {
    const value = identity[field];
    if (typeof value !== 'string') throw new InvalidParametersError(`${field} must be a string`, { field });
    const bytes = utf8(value).length;
    if (bytes > limits[field]) out.push(`${field} is ${bytes} bytes (at most ${limits[field]})`);
  }
  return out;
}

/** Throws the chain's `InvalidIdentity` (pre-flight) naming every field over its limit. */
function ensureValid<K extends string>(identity: Readonly<Record<K, string>>, limits: Readonly<Record<K, number>>): void {
  const violations = identityViolations(identity, limits);
  if (violations.length > 0) throw new DispatchFailedError({ pallet: 'SubtensorModule', error: 'InvalidIdentity', remedy: `shorten: ${violations.join('; ')}`, preflight: true, facts: { violations: violations.join('; ') } });
}

/**
 * `InvalidIdentity` (pre-flight) unless every field of a subnet identity is within the runtime's byte limits.
 * @throws DispatchFailedError
 */
export function ensureValidSubnetIdentity(identity: SubnetIdentity): void {
  ensureValid(identity, SUBNET_IDENTITY_LIMITS);
}

/**
 * `set_identity(name, url, image, discord, description, additional)` built from the runtime's metadata.
 * @throws UnsupportedRuntimeError when the runtime lacks the call or takes other fields (e.g. dynamic TAO's `github_repo`)
 */
export function setIdentityCall(registry: Registry, runtime: RuntimeView, identity: ChainIdentity): Call {
  return buildCall(registry, runtime, 'SubtensorModule', 'set_identity', [identity.name, identity.url, identity.image, identity.discord, identity.description, identity.additional].map(bytesArg));
}

/**
 * `set_subnet_identity(netuid, subnet_name, github_repo, subnet_contact)` built from the runtime's metadata.
 * @throws UnsupportedRuntimeError when the runtime lacks the call or takes other fields
 */
export function setSubnetIdentityCall(registry: Registry, runtime: RuntimeView, netuid: number, identity: SubnetIdentity): Call {
  return buildCall(registry, runtime, 'SubtensorModule', 'set_subnet_identity', [netuid, ...[identity.subnetName, identity.githubRepo, identity.subnetContact].map(bytesArg)]);
}

/** Parameters of {@link setIdentity}: the identity's fields (UTF-8; each defaults to empty). */
export interface SetIdentityParameters extends SubmitOptions, Partial<ChainIdentity> {
  /** The coldkey whose identity is set; one of its hotkeys must be registered on some subnet. */
  readonly signer: Signer;
}

/** Errors of {@link setIdentity} / {@link setSubnetIdentity}. */
export type SetIdentityErrorType = SubmitErrorType | UnsupportedRuntimeError;

/**
 * Sets (replaces) the signing coldkey's identity. Pre-flight (no fee spent), in the chain's order:
 * `HotKeyNotRegisteredInNetwork` (none of the coldkey's hotkeys holds a uid), `InvalidIdentity`
 * (a field over its byte limit: name, url, discord 256; image, description, additional 1024; the
 * remedy names each).
 * @throws InvalidParametersError for a field that is not a string; UnsupportedRuntimeError
 * @example await setIdentity(client, { signer: coldkey, name: 'Acme', url: 'https://acme.example' });
 */
export async function setIdentity(client: ChainClient, params: SetIdentityParameters): Promise<SubmitResult> {
  const coldkey = addressOf(params.signer);
  const identity: ChainIdentity = {
    name: params.name ?? '',
    url: params.url ?? '',
    image: params.image ?? '',
    discord: params.discord ?? '',
    description: params.description ?? '',
    additional: params.additional ?? '',
  };
  identityViolations(identity, CHAIN_IDENTITY_LIMITS); // a non-string field is a parameter error, before any read
  const tx = client.api.tx(setIdentityCall(client.api.registry, client.runtime, identity));
  if (!(await hasRegisteredHotkey(client, coldkey))) {
    throw new DispatchFailedError({ pallet: 'SubtensorModule', error: 'HotKeyNotRegisteredInNetwork', preflight: true, remedy: 'register one of the coldkey\'s hotkeys on a subnet first (burnedRegister)' });
  }
  ensureValid(identity, CHAIN_IDENTITY_LIMITS);
  return send(client, tx, params.signer, params, { coldkey, call: 'set_identity' });
}

/** Whether one of `coldkey`'s hotkeys (`OwnedHotkeys`) holds a uid on an existing subnet. */
async function hasRegisteredHotkey(client: ChainClient, coldkey: string): Promise<boolean> {
  const owned = ((await queryItem(client, 'SubtensorModule', 'OwnedHotkeys', coldkey)).toJSON() as string[] | null) ?? [];
  if (owned.length === 0) return false;
  const netuids = await networks(client);
  for (const hotkey of owned) {
    const uids = await Promise.all(netuids.map((netuid) => uidOf(client, netuid, hotkey)));
    if (uids.some((uid) => uid !== undefined)) return true;
  }
  return false;
}

function decodeText(hex: unknown): string {
  return typeof hex === 'string' ? new TextDecoder().decode(Buffer.from(hex.replace(/^0x/, ''), 'hex')) : '';
}

/**
 * The identity of `coldkey` (`Identities`), or undefined when it has none.
 * @example const identity = await getIdentity(client, { coldkey: coldkey.address });
 */
export async function getIdentity(client: ChainClient, params: { readonly coldkey: string }): Promise<ChainIdentity | undefined> {
  const json = (await queryItem(client, 'SubtensorModule', 'Identities', addressOf(params.coldkey, 'coldkey'))).toJSON() as Record<keyof ChainIdentity, unknown> | null;
  if (!json) return undefined;
  return { name: decodeText(json.name), url: decodeText(json.url), image: decodeText(json.image), discord: decodeText(json.discord), description: decodeText(json.description), additional: decodeText(json.additional) };
}

/** Parameters of {@link setSubnetIdentity}. */
export interface SetSubnetIdentityParameters extends SubmitOptions, SubnetIdentity {
  /** The subnet owner's coldkey. */
  readonly signer: Signer;
  readonly netuid: number;
}

/**
 * Sets (replaces) the identity of subnet `netuid`. Pre-flight (no fee spent), in the chain's order:
 * `NotSubnetOwner` (the signer is not `SubnetOwner`; a missing subnet has no owner), `InvalidIdentity`
 * (subnet name over 256 bytes, GitHub repository or contact over 1024; the remedy names each).
 * @throws InvalidParametersError for a malformed netuid or field; UnsupportedRuntimeError
 * @example await setSubnetIdentity(client, { signer: owner, netuid: 1, subnetName: 'demo', githubRepo: 'https://github.com/acme/demo', subnetContact: 'ops@acme.example' });
 */
export async function setSubnetIdentity(client: ChainClient, params: SetSubnetIdentityParameters): Promise<SubmitResult> {
  const netuid = checkNetuid(params.netuid);
  const coldkey = addressOf(params.signer);
  const identity: SubnetIdentity = { subnetName: params.subnetName, githubRepo: params.githubRepo, subnetContact: params.subnetContact };
  identityViolations(identity, SUBNET_IDENTITY_LIMITS); // a non-string field is a parameter error, before any read
  const tx = client.api.tx(setSubnetIdentityCall(client.api.registry, client.runtime, netuid, identity));
  const owner = (await queryItem(client, 'SubtensorModule', 'SubnetOwner', netuid)).toU8a();
  const ownerAddress = addressOf(`0x${Buffer.from(owner).toString('hex')}`);
  if (ownerAddress !== coldkey) {
    const remedy = owner.every((b) => b === 0) ? `netuid ${netuid} has no owner (it does not exist)` : `sign with the subnet owner's coldkey ${ownerAddress}`;
    throw new DispatchFailedError({ pallet: 'SubtensorModule', error: 'NotSubnetOwner', preflight: true, remedy });
  }
  ensureValid(identity, SUBNET_IDENTITY_LIMITS);
  return send(client, tx, params.signer, params, { netuid, coldkey, call: 'set_subnet_identity' });
}

/**
 * The identity of subnet `netuid` (`SubnetIdentities`), or undefined when it has none.
 * @example const identity = await getSubnetIdentity(client, { netuid: 1 });
 */
export async function getSubnetIdentity(client: ChainClient, params: { readonly netuid: number }): Promise<SubnetIdentity | undefined> {
  const json = (await queryItem(client, 'SubtensorModule', 'SubnetIdentities', checkNetuid(params.netuid))).toJSON() as Record<keyof SubnetIdentity, unknown> | null;
  if (!json) return undefined;
  return { subnetName: decodeText(json.subnetName), githubRepo: decodeText(json.githubRepo), subnetContact: decodeText(json.subnetContact) };
}
