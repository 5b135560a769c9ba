/**
 * Child keys, childkey take, the delegate-take rate limit and identities through a real client on a
 * real localnet (seeded subnet, 50 ms blocks; the 7200-block child-key cooldown is crossed by sealing
 * blocks in-process): success paths checked against storage, every pre-flight error (no fee spent) and
 * dispatch errors with remedies.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { connect, type ChainClient } from '../../chain-client';
import { submit } from '../../chain-client/submit';
import {
  becomeDelegate, burnedRegister, getChildkeyTake, getChildren, getDelegateTake, getIdentity, getParents, getPendingChildren, getSubnetIdentity, InvalidParametersError,
  registerNetwork, revokeChildren, setChildkeyTake, setChildren, setDelegateTake, setIdentity, setSubnetIdentity,
} from '../../chain-client/operations';
import { sendSudo } from '../../chain-client/operations/common';
import { dispatchFailure as failure } from './helpers/dispatch';
import { seededGenesis, NETUID } from './helpers/subnet';

const U64_MAX = (1n << 64n) - 1n;

let net: Localnet;
let client: ChainClient;
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const charlie = keyring.addFromUri('//Charlie');
// Seeded: v0, v2 belong to Alice, v1 and the miners to Bob; Alice owns NETUID.
const v0 = keyring.addFromUri('//Alice//v0');
const v1 = keyring.addFromUri('//Alice//v1');
const v2 = keyring.addFromUri('//Alice//v2');
const m0 = keyring.addFromUri('//Bob//m0');
const m1 = keyring.addFromUri('//Bob//m1');
const m2 = keyring.addFromUri('//Bob//m2');


async function best(): Promise<number> {
  return (await client.api.rpc.chain.getHeader()).number.toNumber();
}

/** Seals blocks in-process until the best block is at least `target`. */
async function sealUntil(target: number): Promise<void> {
  while (net.chain.bestBlock().number < target) await net.chain.newBlock();
  while ((await best()) < target) await new Promise((r) => setTimeout(r, 10));
}

beforeAll(async () => {
  await cryptoWaitReady();
  const file = parseGenesisFile(seededGenesis(7, 3, 3));
  net = await startLocalnet({ port: 0, blockTimeMs: 50, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
});

describe('setChildren / getPendingChildren / getChildren / getParents / revokeChildren', () => {
  test('default: children are scheduled, then applied at the first epoch after the cooldown', async () => {
    const result = await setChildren(client, { signer: alice, hotkey: v0.address, netuid: NETUID, children: [{ proportion: 0.25, child: m0.address }, { proportion: U64_MAX / 2n, child: m1.address }] });
    const quarter = U64_MAX / 4n;
    expect(result.children).toEqual([
      { proportion: quarter, fraction: 0.25, child: m0.address },
      { proportion: U64_MAX / 2n, fraction: 0.5, child: m1.address },
    ]);
    expect(result.cooldownBlock).toBe(result.blockNumber + 7200);
    expect(result.events.some((e) => e.name === 'SetChildrenScheduled')).toBe(true);
    expect(await getPendingChildren(client, { hotkey: v0.address, netuid: NETUID })).toEqual({ children: result.children, cooldownBlock: result.cooldownBlock });
    expect(await getChildren(client, { hotkey: v0.address, netuid: NETUID })).toEqual([]);
    expect(await getParents(client, { hotkey: m0.address, netuid: NETUID })).toEqual([]);

    // Applied at the subnet's first epoch (tempo 4) in a block after the cooldown block.
    await sealUntil(result.cooldownBlock + 6);
    expect(await getChildren(client, { hotkey: v0.address, netuid: NETUID })).toEqual(result.children);
    expect(await getParents(client, { hotkey: m0.address, netuid: NETUID })).toEqual([{ proportion: quarter, fraction: 0.25, parent: v0.address }]);
    expect(await getPendingChildren(client, { hotkey: v0.address, netuid: NETUID })).toBeUndefined();
  }, 120_000);

  test('behavior: revokeChildren schedules an empty list', async () => {
    const result = await revokeChildren(client, { signer: alice, hotkey: v0.address, netuid: NETUID });
    expect(result.children).toEqual([]);
    expect(await getPendingChildren(client, { hotkey: v0.address, netuid: NETUID })).toEqual({ children: [], cooldownBlock: result.blockNumber + 7200 });
    expect((await getChildren(client, { hotkey: v0.address, netuid: NETUID })).length).toBe(2);
  });

  test('error: TxRateLimitExceeded pre-flight and on chain, with the next allowed block', async () => {
    const first = await setChildren(client, { signer: alice, hotkey: v2.address, netuid: NETUID, children: [{ proportion: 0.1, child: m2.address }] });
    const limited = await failure(setChildren(client, { signer: alice, hotkey: v2.address, netuid: NETUID, children: [{ proportion: 0.2, child: m2.address }] }));
    expect([limited.error, limited.preflight]).toEqual(['TxRateLimitExceeded', true]);
    expect(limited.details.facts).toEqual({ nextAllowedBlock: first.blockNumber + 150 });
    expect(limited.remedy).toBe(`wait until block ${first.blockNumber + 150} (children last set at block ${first.blockNumber}; set_children passes once per 150 blocks)`);
    const onChain = await failure(
      submit(client, { tx: client.api.tx.subtensorModule.setChildren(v2.address, NETUID, [[1n, m2.address]]), signer: alice, remedyContext: { netuid: NETUID, hotkey: v2.address, call: 'set_children' } }),
    );
    expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['TxRateLimitExceeded', false, limited.remedy]);
  });

  test('error: pre-flight in the chain\'s order: root, subnet, owner, count, self, overflow, duplicate', async () => {
    const set = (children: Array<{ proportion: number | bigint; child: string }>, over: { netuid?: number; signer?: typeof bob } = {}) =>
      failure(setChildren(client, { signer: over.signer ?? bob, hotkey: v1.address, netuid: over.netuid ?? NETUID, children }));
    const one = [{ proportion: 0.1, child: m0.address }];
    expect((await set(one, { netuid: 0 })).error).toBe('RegistrationNotPermittedOnRootSubnet');
    expect((await set(one, { netuid: 77 })).error).toBe('SubNetworkDoesNotExist');
    expect((await set(one, { signer: charlie })).error).toBe('NonAssociatedColdKey');
    const six = Array.from({ length: 6 }, (_, i) => ({ proportion: 0.1, child: keyring.addFromUri(`//child//${i}`).address }));
    const tooMany = await set([...six.slice(0, 5), { proportion: 0.1, child: v1.address }, ...six.slice(5)]);
    expect([tooMany.error, tooMany.preflight, tooMany.details.facts]).toEqual(['TooManyChildren', true, { maxChildren: 5 }]);
    expect((await set([{ proportion: 0.9, child: v1.address }, { proportion: 0.9, child: m0.address }, { proportion: 0.9, child: m0.address }])).error).toBe('InvalidChild');
    const overflow = await set([{ proportion: 0.6, child: m0.address }, { proportion: 0.6, child: m0.address }]);
    expect([overflow.error, overflow.remedy]).toEqual(['ProportionOverflow', "the proportions sum to 1.200000 of the parent's stake: at most 1 (u64::MAX)"]);
    expect((await set([{ proportion: U64_MAX, child: m0.address }, { proportion: 1n, child: m1.address }])).error).toBe('ProportionOverflow');
    const duplicate = await set([{ proportion: 0.1, child: m0.address }, { proportion: 0.2, child: m1.address }, { proportion: 0.3, child: m0.address }]);
    expect([duplicate.error, duplicate.details.facts]).toEqual(['DuplicateChild', { child: m0.address }]);
    // Nothing was submitted: v1 has no schedule.
    expect(await getPendingChildren(client, { hotkey: v1.address, netuid: NETUID })).toBeUndefined();
  });

  test('error: NotEnoughStakeToSetChildkeys pre-flight and on chain, with the threshold; revoking needs no stake', async () => {
    await sendSudo(client, client.api.tx.adminUtils.sudoSetStakeThreshold(10n ** 18n), alice, {});
    try {
      const pre = await failure(setChildren(client, { signer: bob, hotkey: v1.address, netuid: NETUID, children: [{ proportion: 0.5, child: m0.address }] }));
      expect([pre.error, pre.preflight]).toEqual(['NotEnoughStakeToSetChildkeys', true]);
      expect(pre.remedy).toMatch(/^the hotkey needs at least τ1000000000\.000000000 stake \(StakeThreshold\), it has τ\d+\.\d{9}$/);
      const onChain = await failure(
        submit(client, { tx: client.api.tx.subtensorModule.setChildren(v1.address, NETUID, [[1n, m0.address]]), signer: bob, remedyContext: { netuid: NETUID, hotkey: v1.address, call: 'set_children' } }),
      );
      expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['NotEnoughStakeToSetChildkeys', false, pre.remedy]);
      const revoked = await revokeChildren(client, { signer: bob, hotkey: v1.address, netuid: NETUID });
      expect(revoked.events.some((e) => e.name === 'SetChildrenScheduled')).toBe(true);
    } finally {
      await sendSudo(client, client.api.tx.adminUtils.sudoSetStakeThreshold(0), alice, {});
    }
  });

  test('args: malformed proportions and addresses are InvalidParametersError', async () => {
    const base = { signer: bob, hotkey: v1.address, netuid: NETUID };
    await expect(setChildren(client, { ...base, children: [{ proportion: 1.5, child: m0.address }] })).rejects.toBeInstanceOf(InvalidParametersError);
    await expect(setChildren(client, { ...base, children: [{ proportion: Number.NaN, child: m0.address }] })).rejects.toBeInstanceOf(InvalidParametersError);
    await expect(setChildren(client, { ...base, children: [{ proportion: -1n, child: m0.address }] })).rejects.toBeInstanceOf(InvalidParametersError);
    await expect(setChildren(client, { ...base, children: [{ proportion: U64_MAX + 1n, child: m0.address }] })).rejects.toBeInstanceOf(InvalidParametersError);
    await expect(setChildren(client, { ...base, children: [{ proportion: 0.1, child: 'not-an-address' }] })).rejects.toBeInstanceOf(InvalidParametersError);
  });
});

describe('setChildkeyTake / getChildkeyTake', () => {
  test('default: sets the take; the second change is rate limited (pre-flight and on chain)', async () => {
    expect(await getChildkeyTake(client, { hotkey: m0.address, netuid: NETUID })).toBe(0);
    const set = await setChildkeyTake(client, { signer: bob, hotkey: m0.address, netuid: NETUID, take: 5000 });
    expect(set.events.some((e) => e.name === 'ChildKeyTakeSet')).toBe(true);
    expect(await getChildkeyTake(client, { hotkey: m0.address, netuid: NETUID })).toBe(5000);
    const limited = await failure(setChildkeyTake(client, { signer: bob, hotkey: m0.address, netuid: NETUID, take: 6000 }));
    expect([limited.error, limited.preflight]).toEqual(['TxChildkeyTakeRateLimitExceeded', true]);
    expect(limited.details.facts).toEqual({ nextAllowedBlock: set.blockNumber + 216_000 });
    expect(limited.remedy).toBe(`wait until block ${set.blockNumber + 216_000} (take last set at block ${set.blockNumber} + TxChildkeyTakeRateLimit 216000)`);
    const onChain = await failure(
      submit(client, { tx: client.api.tx.subtensorModule.setChildkeyTake(m0.address, NETUID, 6000), signer: bob, remedyContext: { netuid: NETUID, hotkey: m0.address } }),
    );
    expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['TxChildkeyTakeRateLimitExceeded', false, limited.remedy]);
    // The take bound is checked before the rate limit, as on chain.
    expect((await failure(setChildkeyTake(client, { signer: bob, hotkey: m0.address, netuid: NETUID, take: 11797 }))).error).toBe('InvalidChildkeyTake');
  });

  test('error: InvalidChildkeyTake names MaxChildkeyTake; NonAssociatedColdKey; a non-u16 take', async () => {
    const high = await failure(setChildkeyTake(client, { signer: bob, hotkey: m1.address, netuid: NETUID, take: 20000 }));
    expect([high.error, high.preflight, high.remedy]).toEqual(['InvalidChildkeyTake', true, 'the take must be at most MaxChildkeyTake 11796']);
    expect((await failure(setChildkeyTake(client, { signer: alice, hotkey: m1.address, netuid: NETUID, take: 100 }))).error).toBe('NonAssociatedColdKey');
    expect((await failure(setChildkeyTake(client, { signer: alice, hotkey: keyring.addFromUri('//nobody//ck').address, netuid: NETUID, take: 100 }))).error).toBe('NonAssociatedColdKey');
    await expect(setChildkeyTake(client, { signer: bob, hotkey: m1.address, netuid: NETUID, take: 70000 })).rejects.toBeInstanceOf(InvalidParametersError);
  });
});

describe('delegate-take rate limits', () => {
  test('error: DelegateTxRateLimitExceeded pre-flight and on chain until LastTxBlockDelegateTake + limit + 1', async () => {
    await sendSudo(client, client.api.tx.adminUtils.sudoSetTxDelegateTakeRateLimit(1000), alice, {});
    try {
      await setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 5000 });
      const up = await setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 6000 });
      expect(up.events.some((e) => e.name === 'TakeIncreased')).toBe(true);
      const next = up.blockNumber + 1001;
      const limited = await failure(setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 7000 }));
      expect([limited.error, limited.preflight]).toEqual(['DelegateTxRateLimitExceeded', true]);
      expect(limited.details.facts).toEqual({ nextAllowedBlock: next });
      expect(limited.remedy).toBe(`wait until block ${next} (LastTxBlockDelegateTake ${up.blockNumber} + TxDelegateTakeRateLimit 1000, per coldkey)`);
      // Decreasing is never rate limited.
      await setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 5500 });
      const onChain = await failure(
        submit(client, { tx: client.api.tx.subtensorModule.increaseTake(v2.address, 7000), signer: alice, remedyContext: { hotkey: v2.address, call: 'increase_take' } }),
      );
      expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['DelegateTxRateLimitExceeded', false, limited.remedy]);
      await sealUntil(next - 1);
      await setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 7000 });
      expect(await getDelegateTake(client, { hotkey: v2.address })).toBe(7000);
    } finally {
      await sendSudo(client, client.api.tx.adminUtils.sudoSetTxDelegateTakeRateLimit(0), alice, {});
    }
  }, 30_000);

  test('behavior: become_delegate\'s DelegateTxRateLimitExceeded gets its own remedy (LastTxBlock + TxRateLimit)', async () => {
    await becomeDelegate(client, { signer: alice, hotkey: v0.address });
    const hk = keyring.addFromUri('//Alice//delegate2');
    await burnedRegister(client, { signer: alice, netuid: NETUID, hotkey: hk.address });
    const err = await failure(becomeDelegate(client, { signer: alice, hotkey: hk.address }));
    const last = Number((await client.api.query.subtensorModule.lastTxBlock(alice.address)).toString());
    expect([err.error, err.preflight, err.remedy]).toEqual(['DelegateTxRateLimitExceeded', false, `wait until block ${last + 1001} (LastTxBlock ${last} + TxRateLimit 1000, per coldkey)`]);
  });
});

describe('identities', () => {
  test('default: a coldkey identity round-trips as UTF-8; a coldkey without one reads undefined', async () => {
    const identity = { name: 'Ålice ✓', url: 'https://alice.example', image: 'https://alice.example/a.png', discord: 'alice#1', description: 'validator', additional: '' };
    const result = await setIdentity(client, { signer: alice, ...identity });
    expect(result.events.some((e) => e.name === 'ChainIdentitySet')).toBe(true);
    expect(await getIdentity(client, { coldkey: alice.address })).toEqual(identity);
    expect(await getIdentity(client, { coldkey: charlie.address })).toBeUndefined();
    // Omitted fields are empty; text that looks like hex is still text.
    await setIdentity(client, { signer: alice, name: '0x1234' });
    expect(await getIdentity(client, { coldkey: alice.address })).toEqual({ name: '0x1234', url: '', image: '', discord: '', description: '', additional: '' });
  });

  test('error: HotKeyNotRegisteredInNetwork, then InvalidIdentity naming every field over its limit (pre-flight and on chain)', async () => {
    const tooLong = { name: 'é'.repeat(129), description: 'x'.repeat(1025) };
    expect((await failure(setIdentity(client, { signer: charlie, ...tooLong }))).error).toBe('HotKeyNotRegisteredInNetwork');
    const invalid = await failure(setIdentity(client, { signer: alice, ...tooLong }));
    expect([invalid.error, invalid.preflight, invalid.remedy]).toEqual(['InvalidIdentity', true, 'shorten: name is 258 bytes (at most 256); description is 1025 bytes (at most 1024)']);
    expect((await failure(setIdentity(client, { signer: alice, discord: 'd'.repeat(257) }))).remedy).toBe('shorten: discord is 257 bytes (at most 256)');
    const onChain = await failure(submit(client, { tx: client.api.tx.subtensorModule.setIdentity(tooLong.name, '', '', '', '', ''), signer: alice }));
    expect([onChain.error, onChain.preflight]).toEqual(['InvalidIdentity', false]);
    await expect(setIdentity(client, { signer: alice, name: 5 as unknown as string })).rejects.toBeInstanceOf(InvalidParametersError);
  });

  test('default: the subnet owner sets the subnet identity', async () => {
    const identity = { subnetName: 'children', githubRepo: 'https://github.com/acme/children', subnetContact: 'ops@acme.example' };
    const result = await setSubnetIdentity(client, { signer: alice, netuid: NETUID, ...identity });
    expect(result.events.some((e) => e.name === 'SubnetIdentitySet')).toBe(true);
    expect(await getSubnetIdentity(client, { netuid: NETUID })).toEqual(identity);
    expect(await getSubnetIdentity(client, { netuid: 77 })).toBeUndefined();
  });

  test('error: NotSubnetOwner (a missing subnet has no owner) before InvalidIdentity; registerNetwork checks the identity too', async () => {
    const valid = { subnetName: 'x', githubRepo: '', subnetContact: '' };
    const notOwner = await failure(setSubnetIdentity(client, { signer: bob, netuid: NETUID, ...valid, subnetName: 'n'.repeat(300) }));
    expect([notOwner.error, notOwner.preflight, notOwner.remedy]).toEqual(['NotSubnetOwner', true, `sign with the subnet owner's coldkey ${alice.address}`]);
    expect((await failure(setSubnetIdentity(client, { signer: alice, netuid: 77, ...valid }))).remedy).toBe('netuid 77 has no owner (it does not exist)');
    const invalid = await failure(setSubnetIdentity(client, { signer: alice, netuid: NETUID, ...valid, subnetName: 'n'.repeat(257), subnetContact: 'c'.repeat(1025) }));
    expect([invalid.error, invalid.remedy]).toEqual(['InvalidIdentity', 'shorten: subnetName is 257 bytes (at most 256); subnetContact is 1025 bytes (at most 1024)']);
    await sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkRateLimit(0), alice, {});
    const onRegister = await failure(registerNetwork(client, { signer: bob, identity: { ...valid, githubRepo: 'g'.repeat(1025) } }));
    expect([onRegister.error, onRegister.preflight]).toEqual(['InvalidIdentity', true]);
  });
});
