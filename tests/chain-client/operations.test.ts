/**
 * Every operation through a real client on a real localnet (seeded subnet, 50 ms blocks): success paths
 * checked against storage, pre-flight errors (no fee spent) and dispatch errors with remedies.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { Balance, connect, type ChainClient } from '../../chain-client';
import { submit } from '../../chain-client/submit';
import {
  addStake, becomeDelegate, burnedRegister, commitAndRevealWeights, commitWeights, getBalance, getDelegateTake, getHotkeyOwner,
  getHyperparameters, getNetworks, getStake, getTotalHotkeyStake, getUid, InvalidParametersError, ipToInt, registerNetwork, removeStake, revealWeights,
  powRegister, powSeal, rootRegister, sealMeetsDifficulty, serveAxon, setDelegateTake, solvePow, setHyperparameter, setRootWeights, setWeights, transfer,
} from '../../chain-client/operations';
import { sendSudo } from '../../chain-client/operations/common';
import { powSeal as localnetPowSeal, sealMeetsDifficulty as localnetMeets } from '../../localnet/runtime/pallets/subtensor/registration';
import { dispatchFailure as failure } from './helpers/dispatch';
import { seededGenesis, NETUID } from './helpers/subnet';

let net: Localnet;
let client: ChainClient;
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const charlie = keyring.addFromUri('//Charlie');
const v0 = keyring.addFromUri('//Alice//v0');
const v1 = keyring.addFromUri('//Alice//v1');
const m0 = keyring.addFromUri('//Bob//m0');


async function storage(pallet: string, item: string, ...args: unknown[]): Promise<unknown> {
  const q = client.api.query as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<{ toJSON(): unknown }>>>;
  return (await q[pallet]![item]!(...args)).toJSON();
}

async function blocksPass(n: number): Promise<void> {
  const start = (await client.api.rpc.chain.getHeader()).number.toNumber();
  while ((await client.api.rpc.chain.getHeader()).number.toNumber() < start + n) await new Promise((r) => setTimeout(r, 25));
}

beforeAll(async () => {
  await cryptoWaitReady();
  const file = parseGenesisFile(seededGenesis(42, 3, 3));
  net = await startLocalnet({ port: 0, blockTimeMs: 50, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  // Global rate limits out of the way (each is exercised elsewhere); then one epoch (tempo 4) for validator permits.
  await sendSudo(client, client.api.tx.adminUtils.sudoSetTargetStakesPerInterval(1000), alice, {});
  await sendSudo(client, client.api.tx.adminUtils.sudoSetTxRateLimit(0), alice, {});
  await sendSudo(client, client.api.tx.adminUtils.sudoSetTxDelegateTakeRateLimit(0), alice, {});
  await blocksPass(6);
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
});

describe('transfer / getBalance', () => {
  test('default: moves the amount and charges a fee', async () => {
    const dest = keyring.addFromUri('//Alice//ops-dest').address;
    const before = await getBalance(client, { address: alice.address });
    const result = await transfer(client, { signer: alice, dest, amount: Balance.fromTao('2.5') });
    expect((await getBalance(client, { address: dest })).free.rao).toBe(2_500_000_000n);
    const after = await getBalance(client, { address: alice.address });
    expect(before.free.rao - after.free.rao).toBe(2_500_000_000n + result.fee.rao);
  });

  test('error: pre-flight InsufficientBalance spends no fee', async () => {
    const poor = keyring.addFromUri('//Poor//ops');
    const err = await failure(transfer(client, { signer: poor, dest: alice.address, amount: 1n }));
    expect([err.pallet, err.error, err.preflight]).toEqual(['Balances', 'InsufficientBalance', true]);
  });

  test('error: invalid destination', async () => {
    await expect(transfer(client, { signer: alice, dest: 'not-an-address', amount: 1n })).rejects.toBeInstanceOf(InvalidParametersError);
  });
});

describe('burnedRegister', () => {
  const hk = keyring.addFromUri('//Charlie//hk');
  test('default: registers and reports the uid and burn', async () => {
    const result = await burnedRegister(client, { signer: charlie, netuid: NETUID, hotkey: hk.address });
    expect(result.uid).toBe(await getUid(client, { netuid: NETUID, hotkey: hk.address }));
    expect(result.burn.rao).toBeGreaterThan(0n);
    expect(await getHotkeyOwner(client, { hotkey: hk.address })).toBe(charlie.address);
    expect(await getHotkeyOwner(client, { hotkey: keyring.addFromUri('//nobody//x').address })).toBeUndefined();
  });

  test('error: pre-flight HotKeyAlreadyRegisteredInSubNet, SubNetworkDoesNotExist, RegistrationNotPermittedOnRootSubnet', async () => {
    expect((await failure(burnedRegister(client, { signer: charlie, netuid: NETUID, hotkey: hk.address }))).error).toBe('HotKeyAlreadyRegisteredInSubNet');
    expect((await failure(burnedRegister(client, { signer: charlie, netuid: 77, hotkey: hk.address }))).error).toBe('SubNetworkDoesNotExist');
    expect((await failure(burnedRegister(client, { signer: charlie, netuid: 0, hotkey: hk.address }))).error).toBe('RegistrationNotPermittedOnRootSubnet');
  });

  test('error: pre-flight NotEnoughBalanceToStake names the burn', async () => {
    const poor = keyring.addFromUri('//Poor//reg');
    await transfer(client, { signer: alice, dest: poor.address, amount: 1000n });
    const err = await failure(burnedRegister(client, { signer: poor, netuid: NETUID, hotkey: keyring.addFromUri('//Poor//reg//hk').address }));
    expect(err.error).toBe('NotEnoughBalanceToStake');
    expect(err.remedy).toMatch(/the burn is τ/);
  });
});

describe('powRegister', () => {
  test('error: pre-flight SubNetRegistrationDisabled while PoW registration is off', async () => {
    const err = await failure(powRegister(client, { signer: keyring.addFromUri('//Bob//pow0'), netuid: NETUID, coldkey: bob.address }));
    expect(err.error).toBe('SubNetRegistrationDisabled');
  });

  test('default: solves the seal for a recent block and registers', async () => {
    await sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkPowRegistrationAllowed(NETUID, true), alice, {});
    await sendSudo(client, client.api.tx.adminUtils.sudoSetDifficulty(NETUID, 2000), alice, {});
    const hk = keyring.addFromUri('//Bob//pow1');
    await transfer(client, { signer: bob, dest: hk.address, amount: Balance.fromTao('1') });
    const result = await powRegister(client, { signer: hk, netuid: NETUID, coldkey: bob.address });
    expect(result.uid).toBe(await getUid(client, { netuid: NETUID, hotkey: hk.address }));
    expect(await getHotkeyOwner(client, { hotkey: hk.address })).toBe(bob.address);
    expect((await failure(powRegister(client, { signer: hk, netuid: NETUID, coldkey: bob.address }))).error).toBe('HotKeyAlreadyRegisteredInSubNet');
  });

  test('behavior: the seal is the chain\'s (create_seal_hash) and meets the difficulty', () => {
    const blockHash = new Uint8Array(32).fill(7);
    const solved = solvePow({ blockHash, hotkey: m0.publicKey, difficulty: 5000n })!;
    expect(solved.seal).toEqual(localnetPowSeal(blockHash, m0.publicKey, solved.nonce));
    expect(localnetMeets(solved.seal, 5000n)).toBe(true);
    expect(sealMeetsDifficulty(powSeal(blockHash, m0.publicKey, solved.nonce), 5000n)).toBe(true);
    expect(solvePow({ blockHash, hotkey: m0.publicKey, difficulty: 1n << 200n, maxIterations: 10 })).toBeUndefined();
  });
});

describe('serveAxon', () => {
  test('args: ipv4 and ipv6 external addresses are stored', async () => {
    await serveAxon(client, { signer: m0, netuid: NETUID, ip: '203.0.113.7', port: 8091 });
    expect(await storage('subtensorModule', 'axons', NETUID, m0.address)).toMatchObject({ ip: 0xcb007107, port: 8091, ipType: 4, protocol: 4 });
    const m1 = keyring.addFromUri('//Bob//m1');
    await serveAxon(client, { signer: m1, netuid: NETUID, ip: '2001:db8::7', port: 9000, protocol: 0 });
    const axon = (await storage('subtensorModule', 'axons', NETUID, m1.address)) as { ip: string | number; ipType: number };
    expect(BigInt(axon.ip)).toBe(0x20010db8000000000000000000000007n);
    expect(axon.ipType).toBe(6);
    expect(ipToInt('::ffff:1.2.3.4')).toEqual({ ip: 0xffff01020304n, ipType: 6 });
  });

  test('error: pre-flight InvalidIpAddress, InvalidPort, HotKeyNotRegisteredInNetwork, ServingRateLimitExceeded', async () => {
    const m2 = keyring.addFromUri('//Bob//m2');
    expect((await failure(serveAxon(client, { signer: m2, netuid: NETUID, ip: '127.0.0.1', port: 1 }))).error).toBe('InvalidIpAddress');
    expect((await failure(serveAxon(client, { signer: m2, netuid: NETUID, ip: '1.2.3.4', port: 0 }))).error).toBe('InvalidPort');
    expect((await failure(serveAxon(client, { signer: keyring.addFromUri('//nobody//srv'), netuid: NETUID, ip: '1.2.3.4', port: 1 }))).error).toBe('HotKeyNotRegisteredInNetwork');
    const limited = await failure(serveAxon(client, { signer: m0, netuid: NETUID, ip: '203.0.113.8', port: 8092 }));
    expect(limited.error).toBe('ServingRateLimitExceeded');
    const served = ((await storage('subtensorModule', 'axons', NETUID, m0.address)) as { block: number }).block;
    expect(limited.details.facts).toEqual({ nextAllowedBlock: served + 50 });
    const onChain = await failure(
      submit(client, { tx: client.api.tx.subtensorModule.serveAxon(NETUID, 0, 0xcb007108, 8092, 4, 4, 0, 0), signer: m0, remedyContext: { netuid: NETUID, hotkey: m0.address } }),
    );
    expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['ServingRateLimitExceeded', false, `wait until block ${served + 50} (last served at ${served}, ServingRateLimit 50)`]);
    expect(() => ipToInt('300.1.1.1')).toThrow(InvalidParametersError);
  });
});

describe('addStake / removeStake / stake queries', () => {
  test('default: stake moves between balance and stake', async () => {
    const before = await getStake(client, { hotkey: v0.address, coldkey: alice.address });
    const total = await getTotalHotkeyStake(client, { hotkey: v0.address });
    await addStake(client, { signer: alice, hotkey: v0.address, amount: Balance.fromTao('10') });
    expect((await getStake(client, { hotkey: v0.address, coldkey: alice.address })).rao - before.rao).toBe(10_000_000_000n);
    expect((await getTotalHotkeyStake(client, { hotkey: v0.address })).rao - total.rao).toBe(10_000_000_000n);
    await removeStake(client, { signer: alice, hotkey: v0.address, amount: Balance.fromTao('4') });
    expect((await getStake(client, { hotkey: v0.address, coldkey: alice.address })).rao - before.rao).toBe(6_000_000_000n);
  });

  test('error: pre-flight in the chain\'s order: ownership, zero, NotEnoughStakeToWithdraw, NotEnoughBalanceToStake, HotKeyAccountNotExists', async () => {
    // charlie neither owns v0 nor may nominate it (not a delegate): the chain refuses that first.
    expect((await failure(removeStake(client, { signer: charlie, hotkey: v0.address, amount: 1n }))).error).toBe('HotKeyNotDelegateAndSignerNotOwnHotKey');
    expect((await failure(addStake(client, { signer: charlie, hotkey: v0.address, amount: 1n }))).error).toBe('HotKeyNotDelegateAndSignerNotOwnHotKey');
    expect((await failure(removeStake(client, { signer: alice, hotkey: v0.address, amount: 0n }))).error).toBe('StakeToWithdrawIsZero');
    const staked = (await getStake(client, { hotkey: v0.address, coldkey: alice.address })).rao;
    const w = await failure(removeStake(client, { signer: alice, hotkey: v0.address, amount: staked + 1n }));
    expect(w.error).toBe('NotEnoughStakeToWithdraw');
    expect(w.details.facts).toEqual({ stakedRao: staked.toString() });
    expect((await failure(addStake(client, { signer: keyring.addFromUri('//Poor//stake'), hotkey: v0.address, amount: 10n ** 9n }))).error).toBe('NotEnoughBalanceToStake');
    expect((await failure(addStake(client, { signer: alice, hotkey: keyring.addFromUri('//nobody//stake').address, amount: 1n }))).error).toBe('HotKeyAccountNotExists');
  });

  test('behavior: a dispatch failure carries a remedy read from the chain', async () => {
    const hk = keyring.addFromUri('//Charlie//hk');
    // Bypass the pre-flight: remove more stake than held, straight through submit.
    const err = await failure(
      submit(client, { tx: client.api.tx.subtensorModule.removeStake(hk.address, 10n ** 18n), signer: charlie, remedyContext: { hotkey: hk.address, coldkey: charlie.address } }),
    );
    expect([err.pallet, err.error, err.preflight]).toEqual(['SubtensorModule', 'NotEnoughStakeToWithdraw', false]);
    expect(err.remedy).toBe('the coldkey has τ0.000000000 staked on this hotkey');
  });
});

describe('setWeights', () => {
  test('default: processed weights land in storage', async () => {
    const result = await setWeights(client, { signer: v0, netuid: NETUID, uids: [3, 4, 5], weights: [0.2, 0.3, 0.5] });
    expect(result.values).toEqual([26214, 39321, 65535]);
    const uid = (await getUid(client, { netuid: NETUID, hotkey: v0.address }))!;
    expect(await storage('subtensorModule', 'weights', NETUID, uid)).toEqual([[3, 26214], [4, 39321], [5, 65535]]);
    expect(result.events.some((e) => e.name === 'WeightsSet')).toBe(true);
  });

  test('error: pre-flight NeuronNoValidatorPermit with the stake needed', async () => {
    const err = await failure(setWeights(client, { signer: m0, netuid: NETUID, uids: [0, 1], weights: [1, 1] }));
    expect(err.error).toBe('NeuronNoValidatorPermit');
    expect(err.preflight).toBe(true);
    expect(err.remedy).toMatch(/stake more than τ\d+\.\d{9} \(the lowest current permit holder\)/);
  });

  test('error: NotEnoughStakeToSetWeights pre-flight and on chain, with the threshold', async () => {
    await sendSudo(client, client.api.tx.adminUtils.sudoSetStakeThreshold(10n ** 18n), alice, {});
    try {
      const pre = await failure(setWeights(client, { signer: v1, netuid: NETUID, uids: [3], weights: [1] }));
      expect([pre.error, pre.preflight]).toEqual(['NotEnoughStakeToSetWeights', true]);
      expect(pre.remedy).toMatch(/^the hotkey needs at least τ1000000000\.000000000 stake \(StakeThreshold\)/);
      const onChain = await failure(submit(client, { tx: client.api.tx.subtensorModule.setWeights(NETUID, [3], [65535], 0), signer: v1, remedyContext: { netuid: NETUID, hotkey: v1.address } }));
      expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['NotEnoughStakeToSetWeights', false, pre.remedy]);
    } finally {
      await sendSudo(client, client.api.tx.adminUtils.sudoSetStakeThreshold(0), alice, {});
    }
  });

  test('error: pre-flight HotKeyNotRegisteredInSubNet, CanNotSetRootNetworkWeights, length mismatch', async () => {
    expect((await failure(setWeights(client, { signer: keyring.addFromUri('//nobody//w'), netuid: NETUID, uids: [0], weights: [1] }))).error).toBe('HotKeyNotRegisteredInSubNet');
    expect((await failure(setWeights(client, { signer: v0, netuid: 0, uids: [0], weights: [1] }))).error).toBe('CanNotSetRootNetworkWeights');
    await expect(setWeights(client, { signer: v0, netuid: NETUID, uids: [0, 1], weights: [1] })).rejects.toBeInstanceOf(InvalidParametersError);
  });

  test('error: IncorrectWeightVersionKey and SettingWeightsTooFast (pre-flight and on chain, with the next allowed block)', async () => {
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'weights_version', value: 5n });
    const version = await failure(setWeights(client, { signer: v1, netuid: NETUID, uids: [3], weights: [1], versionKey: 4 }));
    expect([version.error, version.remedy]).toEqual(['IncorrectWeightVersionKey', "pass versionKey >= 5 (the subnet's WeightsVersionKey)"]);
    await setWeights(client, { signer: v1, netuid: NETUID, uids: [3], weights: [1], versionKey: 5 });
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'weights_rate_limit', value: 1000n });
    const uid = (await getUid(client, { netuid: NETUID, hotkey: v1.address }))!;
    const lastUpdate = ((await storage('subtensorModule', 'lastUpdate', NETUID)) as number[])[uid]!;
    const tooFast = await failure(setWeights(client, { signer: v1, netuid: NETUID, uids: [3], weights: [1], versionKey: 5 }));
    expect([tooFast.error, tooFast.preflight]).toEqual(['SettingWeightsTooFast', true]);
    expect(tooFast.details.facts).toMatchObject({ nextAllowedBlock: lastUpdate + 1000 });
    const onChain = await failure(submit(client, { tx: client.api.tx.subtensorModule.setWeights(NETUID, [3], [65535], 5), signer: v1, remedyContext: { netuid: NETUID, hotkey: v1.address } }));
    expect([onChain.error, onChain.preflight]).toEqual(['SettingWeightsTooFast', false]);
    expect(onChain.remedy).toBe(`wait until block ${lastUpdate + 1000} (LastUpdate ${lastUpdate} + WeightsSetRateLimit 1000)`);
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'weights_rate_limit', value: 0n });
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'weights_version', value: 0n });
  });
});

describe('commit-reveal', () => {
  test('default: commitAndRevealWeights reveals in the window and the weights land', async () => {
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'commit_reveal_weights_enabled', value: true });
    const cr = await failure(setWeights(client, { signer: v0, netuid: NETUID, uids: [3], weights: [1] }));
    expect(cr.error).toBe('CommitRevealEnabled');
    const { commit, reveal } = await commitAndRevealWeights(client, { signer: v0, netuid: NETUID, uids: [3, 5], weights: [1, 3], pollMs: 20, revealTimeoutMs: 10_000 });
    expect(reveal.blockNumber).toBeGreaterThanOrEqual(commit.commit.firstRevealBlock);
    expect(reveal.blockNumber).toBeLessThanOrEqual(commit.commit.lastRevealBlock);
    expect(reveal.events.some((e) => e.name === 'WeightsRevealed')).toBe(true);
    const uid = (await getUid(client, { netuid: NETUID, hotkey: v0.address }))!;
    expect(await storage('subtensorModule', 'weights', NETUID, uid)).toEqual([[3, 21845], [5, 65535]]);
  }, 20_000);

  test('error: RevealTooEarly and NoWeightsCommitFound are pre-flight', async () => {
    // The window opens 1000 epochs after the commit, so no block race (50 ms blocks) can open it first.
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'commit_reveal_weights_interval', value: 1000n });
    const { commit } = await commitWeights(client, { signer: v1, netuid: NETUID, uids: [4], weights: [1], salt: [7, 8] });
    expect(commit.salt).toEqual([7, 8]);
    const early = await failure(revealWeights(client, { signer: v1, commit }));
    expect(early.error).toBe('RevealTooEarly');
    expect(early.details.facts).toEqual({ firstRevealBlock: commit.firstRevealBlock, lastRevealBlock: commit.lastRevealBlock });
    expect((await failure(revealWeights(client, { signer: v1, commit: { ...commit, salt: [9] } }))).error).toBe('NoWeightsCommitFound');
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'commit_reveal_weights_enabled', value: false });
    expect((await failure(commitWeights(client, { signer: v1, netuid: NETUID, uids: [4], weights: [1] }))).error).toBe('CommitRevealDisabled');
  });
});

describe('registerNetwork / rootRegister / setRootWeights / becomeDelegate', () => {
  test('default: a subnet with identity; the second one is rate-limited', async () => {
    await sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkRateLimit(0), alice, {});
    const result = await registerNetwork(client, { signer: bob, identity: { subnetName: 'ops', githubRepo: 'https://example.org/ops', subnetContact: 'ops@example.org' } });
    expect(result.netuid).toBeGreaterThan(0);
    expect(await getNetworks(client)).toContain(result.netuid);
    expect(await storage('subtensorModule', 'subnetOwner', result.netuid)).toBe(bob.address);
    expect(result.lockCost.rao).toBeGreaterThan(0n);
    expect(await storage('subtensorModule', 'subnetIdentities', result.netuid)).toEqual({
      subnetName: '0x' + Buffer.from('ops').toString('hex'),
      githubRepo: '0x' + Buffer.from('https://example.org/ops').toString('hex'),
      subnetContact: '0x' + Buffer.from('ops@example.org').toString('hex'),
    });
    await sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkRateLimit(1000), alice, {});
    const limited = await failure(registerNetwork(client, { signer: bob }));
    expect(limited.details.facts).toEqual({ nextAllowedBlock: result.blockNumber + 1000 });
    expect(limited.error).toBe('NetworkTxRateLimitExceeded');
  });

  test('default: root registration and root weights', async () => {
    const { uid } = await rootRegister(client, { signer: alice, hotkey: v0.address });
    expect(await getUid(client, { netuid: 0, hotkey: v0.address })).toBe(uid);
    expect((await failure(rootRegister(client, { signer: alice, hotkey: v0.address }))).error).toBe('HotKeyAlreadyRegisteredInSubNet');
    await setHyperparameter(client, { signer: alice, netuid: 0, name: 'weights_rate_limit', value: 0n, sudo: true });
    const result = await setRootWeights(client, { signer: alice, hotkey: v0.address, netuids: [0, NETUID], weights: [1, 1] });
    expect(result.values).toEqual([65535, 65535]);
    await setHyperparameter(client, { signer: alice, netuid: 0, name: 'max_weights_limit', value: 39321, sudo: true }); // 0.6
    const clipped = await setRootWeights(client, { signer: alice, hotkey: v0.address, netuids: [0, NETUID], weights: [1, 9] });
    expect(clipped.values[1]).toBe(65535);
    expect(clipped.values[0]! / 65535).toBeCloseTo(0.4 / 0.6, 3); // 9 clipped to the cutoff, so NETUID gets ≈ 0.6 of the total
    expect(await storage('subtensorModule', 'weights', 0, uid)).toEqual([[0, clipped.values[0]], [NETUID, 65535]]);
    expect((await failure(setRootWeights(client, { signer: alice, hotkey: v0.address, netuids: [999], weights: [1] }))).error).toBe('UidVecContainInvalidOne');
    expect((await failure(setRootWeights(client, { signer: bob, hotkey: m0.address, netuids: [NETUID], weights: [1] }))).error).toBe('HotKeyNotRegisteredInSubNet');
  });

  test('default: becomeDelegate; again is a dispatch error; a foreign coldkey is refused pre-flight', async () => {
    const v2 = keyring.addFromUri('//Alice//v2');
    await becomeDelegate(client, { signer: alice, hotkey: v2.address });
    expect(await getDelegateTake(client, { hotkey: v2.address })).toBe(11796);
    const again = await failure(becomeDelegate(client, { signer: alice, hotkey: v2.address }));
    expect([again.pallet, again.error, again.preflight]).toEqual(['SubtensorModule', 'HotKeyAlreadyDelegate', false]);
    expect((await failure(becomeDelegate(client, { signer: charlie, hotkey: v2.address }))).error).toBe('NonAssociatedColdKey');
  });

  test('args: setDelegateTake decreases and increases; unchanged and too-high takes are refused pre-flight', async () => {
    const v2 = keyring.addFromUri('//Alice//v2');
    const down = await setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 5000 });
    expect(down.events.some((e) => e.name === 'TakeDecreased')).toBe(true);
    expect(await getDelegateTake(client, { hotkey: v2.address })).toBe(5000);
    const up = await setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 6000 });
    expect(up.events.some((e) => e.name === 'TakeIncreased')).toBe(true);
    expect(await getDelegateTake(client, { hotkey: v2.address })).toBe(6000);
    expect((await failure(setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 6000 }))).error).toBe('DelegateTakeTooLow');
    expect((await failure(setDelegateTake(client, { signer: alice, hotkey: v2.address, take: 65535 }))).error).toBe('DelegateTakeTooHigh');
    expect((await failure(setDelegateTake(client, { signer: bob, hotkey: v2.address, take: 100 }))).error).toBe('NonAssociatedColdKey');
  });

  test('behavior: a hotkey that is not a delegate takes any allowed take, the default included, and becomes one', async () => {
    const v1 = keyring.addFromUri('//Alice//v1'); // owned by Bob, never a delegate
    expect(await client.api.query.subtensorModule.delegates.size(v1.address).then((s) => s.toNumber())).toBe(0);
    const set = await setDelegateTake(client, { signer: bob, hotkey: v1.address, take: 11796 });
    expect(set.events.some((e) => e.name === 'TakeDecreased')).toBe(true);
    expect(await getDelegateTake(client, { hotkey: v1.address })).toBe(11796);
    expect((await failure(setDelegateTake(client, { signer: bob, hotkey: v1.address, take: 11796 }))).error).toBe('DelegateTakeTooLow');
  });
});

describe('hyperparameters', () => {
  test('default: reads every hyperparameter with its type', async () => {
    const h = await getHyperparameters(client, { netuid: NETUID });
    expect(h.tempo).toBe(4);
    expect(h.min_allowed_weights).toBe(1);
    expect(typeof h.weights_rate_limit).toBe('bigint');
    expect(typeof h.registration_allowed).toBe('boolean');
  });

  test('behavior: owner sets directly; root-only goes through sudo', async () => {
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'activity_cutoff', value: 4000 });
    await setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'max_validators', value: 2 });
    const h = await getHyperparameters(client, { netuid: NETUID });
    expect([h.activity_cutoff, h.max_validators]).toEqual([4000, 2]);
  });

  test('error: a non-owner is refused on chain; a sudo call by a non-sudo key is refused; bad values are typed', async () => {
    const notOwner = await failure(setHyperparameter(client, { signer: charlie, netuid: NETUID, name: 'kappa', value: 1 }));
    expect(notOwner.preflight).toBe(false);
    expect(notOwner.error).toBe('BadOrigin');
    const notSudo = await failure(setHyperparameter(client, { signer: charlie, netuid: NETUID, name: 'tempo', value: 5 }));
    expect(`${notSudo.pallet}.${notSudo.error}`).toBe('Sudo.RequireSudo');
    await expect(setHyperparameter(client, { signer: alice, netuid: NETUID, name: 'kappa', value: 70000 })).rejects.toBeInstanceOf(InvalidParametersError);
  });
});

// A keyring pair is a valid Signer for every operation (type-level check).
const _signer: KeyringPair = alice;
void _signer;
