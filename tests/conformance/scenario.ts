/**
 * The chain-client conformance scenarios, expressed once and run against any node that provides the
 * environment below (a localnet started by the test, or a real subtensor node): register a subnet,
 * burned-register a validator and a miner, serve an axon, stake, set weights, run an epoch, read the
 * metagraph, and every typed error the client promises (pre-flight and on dispatch, with remedies).
 *
 * The scenarios create their own subnet (so they need //Alice as sudo and //Alice..//Ferdie funded)
 * and derive fresh hotkeys from a per-run tag, so they can run repeatedly on one long-lived node.
 *
 * Each scenario names the calls it needs; one the target runtime lacks (read from its metadata when the
 * tests are declared) is declared skipped, its title naming the missing calls, e.g. child keys on the
 * finney runtime of February 2024 (spec 143). Everything else must pass on every target.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import {
  Balance, InvalidParametersError, UnsupportedRuntimeError, addStake, burnedRegister, getBalance, getHyperparameters, getStake, getTotalHotkeyStake, getUid,
  getIdentity, getPendingChildren, metagraph, registerNetwork, removeStake, revokeChildren, serveAxon, setChildren, setHyperparameter, setIdentity, setWeights, transfer, type ChainClient,
  type RuntimeView,
} from '../../chain-client';
import { submit } from '../../chain-client/submit';
import { dispatchFailure } from '../chain-client/helpers/dispatch';
import { sendSudo } from '../../chain-client/operations/common';
import { missingCalls } from './runtime-features';

/** The dev accounts a conformance node must fund; //Alice must be the sudo key. */
export interface ConformanceSigners {
  readonly alice: KeyringPair;
  readonly bob: KeyringPair;
  readonly charlie: KeyringPair;
  readonly dave: KeyringPair;
  readonly eve: KeyringPair;
  readonly ferdie: KeyringPair;
}

/** What the scenarios need from the node under test. */
export interface ConformanceEnv {
  readonly client: ChainClient;
  readonly signers: ConformanceSigners;
  /** Resolves once at least `n` more blocks have been imported (made by the harness, or by the node on its own). */
  waitBlocks(n: number): Promise<void>;
  /** A tag that makes this run's hotkeys fresh on a long-lived node. */
  readonly runTag: string;
}

/** The dev signers //Alice..//Ferdie. */
export function devSigners(): ConformanceSigners {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return {
    alice: keyring.addFromUri('//Alice'),
    bob: keyring.addFromUri('//Bob'),
    charlie: keyring.addFromUri('//Charlie'),
    dave: keyring.addFromUri('//Dave'),
    eve: keyring.addFromUri('//Eve'),
    ferdie: keyring.addFromUri('//Ferdie'),
  };
}


/** The block number of the node's best block. */
export async function bestBlock(client: ChainClient): Promise<number> {
  return (await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader())).number.toNumber();
}

/** Polls the best block until it is `n` past the current one. */
export async function pollBlocks(client: ChainClient, n: number, pollMs: number): Promise<void> {
  const target = (await bestBlock(client)) + n;
  while ((await bestBlock(client)) < target) await new Promise((r) => setTimeout(r, pollMs));
}

const TEMPO = 4;
const VALIDATOR_STAKE = Balance.fromTao('100');
const MINER_IP = '203.0.113.9';
const MINER_PORT = 8091;

async function lastStep(client: ChainClient, netuid: number): Promise<number> {
  return Number((await client.api.query.subtensorModule.lastMechansimStepBlock(netuid)).toString());
}

async function storageJson(client: ChainClient, item: string, ...args: unknown[]): Promise<unknown> {
  const q = client.api.query.subtensorModule as unknown as Record<string, (...a: unknown[]) => Promise<{ toJSON(): unknown }>>;
  return (await q[item]!(...args)).toJSON();
}

/** Waits (block by block, bounded) until the subnet's epoch has run after the current block. */
async function untilEpoch(env: ConformanceEnv, netuid: number): Promise<number> {
  const before = await lastStep(env.client, netuid);
  for (let i = 0; i < 3 * (TEMPO + 1); i++) {
    await env.waitBlocks(1);
    const step = await lastStep(env.client, netuid);
    if (step > before) return step;
  }
  throw new Error(`no epoch ran on subnet ${netuid} within ${3 * (TEMPO + 1)} blocks`);
}

/** The AdminUtils setters the scenarios call (through `setHyperparameter`). */
const SETTERS = {
  tempo: 'AdminUtils.sudo_set_tempo',
  maxValidators: 'AdminUtils.sudo_set_max_allowed_validators',
  maxRegs: 'AdminUtils.sudo_set_max_registrations_per_block',
  targetRegs: 'AdminUtils.sudo_set_target_registrations_per_interval',
  weightsRateLimit: 'AdminUtils.sudo_set_weights_set_rate_limit',
  minAllowedWeights: 'AdminUtils.sudo_set_min_allowed_weights',
  kappa: 'AdminUtils.sudo_set_kappa',
} as const;

/**
 * Declares the conformance tests (jest globals) in the caller's `describe`, for a node running
 * `runtime`. `getEnv` is called inside the tests, so the caller may build the environment in
 * `beforeAll`. The tests run in order and share the subnet the first one registers.
 */
export function conformanceScenarios(getEnv: () => ConformanceEnv, runtime: RuntimeView): void {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const spec = runtime.identity.specVersion;
  /** A test, or a skipped one whose title names the calls `runtime` lacks. */
  const scenario = (name: string, needs: readonly string[], run: () => Promise<void>): void => {
    const missing = missingCalls(runtime, needs);
    if (missing.length === 0) test(name, run);
    else test.skip(`${name} [skipped: runtime spec ${spec} has no ${missing.join(', ')}]`, run);
  };
  const withIdentity = runtime.findCall('SubtensorModule', 'register_network_with_identity') !== undefined;
  let netuid = -1;
  let validator: KeyringPair;
  let miner: KeyringPair;
  let validatorUid = -1;
  let minerUid = -1;

  const registerTitle = withIdentity
    ? 'register a subnet with an identity (NetworkRateLimit 0 through sudo), set its hyperparameters'
    : `register a subnet (NetworkRateLimit 0 through sudo), set its hyperparameters; an identity is refused before sending (spec ${spec} has no SubtensorModule.register_network_with_identity)`;
  scenario(registerTitle, ['SubtensorModule.register_network', 'Sudo.sudo', 'AdminUtils.sudo_set_network_rate_limit', 'AdminUtils.sudo_set_tx_rate_limit', SETTERS.tempo, SETTERS.maxValidators, SETTERS.maxRegs, SETTERS.targetRegs, SETTERS.weightsRateLimit, SETTERS.minAllowedWeights], async () => {
    const { client, signers, runTag } = getEnv();
    validator = keyring.addFromUri(`//Alice//conformance-validator-${runTag}`);
    miner = keyring.addFromUri(`//Bob//conformance-miner-${runTag}`);
    await sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkRateLimit(0), signers.alice, {});
    // Older runtimes (spec 143) also rate-limit staking per coldkey through TxRateLimit.
    await sendSudo(client, client.api.tx.adminUtils.sudoSetTxRateLimit(0), signers.alice, {});
    const identity = { subnetName: `conformance-${runTag}`, githubRepo: 'https://example.org/tensornet', subnetContact: 'conformance@example.org' };
    if (!withIdentity) {
      const refused = await registerNetwork(client, { signer: signers.alice, identity }).then(() => undefined, (err: unknown) => err);
      expect(refused).toBeInstanceOf(UnsupportedRuntimeError);
      expect((refused as UnsupportedRuntimeError).details).toMatchObject({ item: 'SubtensorModule.register_network_with_identity', specVersion: spec });
    }
    const registered = await registerNetwork(client, withIdentity ? { signer: signers.alice, identity } : { signer: signers.alice });
    netuid = registered.netuid;
    expect(netuid).toBeGreaterThan(0);
    expect(registered.lockCost.rao).toBeGreaterThan(0n);
    expect(await storageJson(client, 'subnetOwner', netuid)).toBe(signers.alice.address);
    if (withIdentity) expect(await storageJson(client, 'subnetIdentities', netuid)).toMatchObject({ subnetName: `0x${Buffer.from(identity.subnetName).toString('hex')}` });
    // Root-only ones go through sudo (//Alice), the rest are signed by the owner (//Alice too).
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'tempo', value: TEMPO });
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'max_validators', value: 1 });
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'max_regs_per_block', value: 16 });
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'target_regs_per_interval', value: 16 });
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'weights_rate_limit', value: 0n });
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'min_allowed_weights', value: 1 });
    const h = await getHyperparameters(client, { netuid });
    expect([h.tempo, h.max_validators, h.weights_rate_limit, h.min_allowed_weights]).toEqual([TEMPO, 1, 0n, 1]);
  });

  scenario('burned-register a validator and a miner; registering again is refused pre-flight', ['SubtensorModule.burned_register', 'Balances.transfer_keep_alive'], async () => {
    const { client, signers } = getEnv();
    const v = await burnedRegister(client, { signer: signers.alice, netuid, hotkey: validator.address });
    const m = await burnedRegister(client, { signer: signers.bob, netuid, hotkey: miner.address });
    validatorUid = v.uid;
    minerUid = m.uid;
    expect(validatorUid).not.toBe(minerUid);
    expect(await getUid(client, { netuid, hotkey: validator.address })).toBe(validatorUid);
    expect(await getUid(client, { netuid, hotkey: miner.address })).toBe(minerUid);
    expect(v.burn.rao).toBeGreaterThan(0n);
    const again = await dispatchFailure(burnedRegister(client, { signer: signers.bob, netuid, hotkey: miner.address }));
    expect([again.error, again.preflight]).toEqual(['HotKeyAlreadyRegisteredInSubNet', true]);
    expect((await dispatchFailure(burnedRegister(client, { signer: signers.bob, netuid: 65000, hotkey: miner.address }))).error).toBe('SubNetworkDoesNotExist');
    // Hotkeys pay the (small) fees of the calls they sign.
    await transfer(client, { signer: signers.alice, dest: validator.address, amount: Balance.fromTao('1') });
    await transfer(client, { signer: signers.bob, dest: miner.address, amount: Balance.fromTao('1') });
  });

  scenario('serve an axon; a bad ip and an unregistered hotkey are refused pre-flight', ['SubtensorModule.serve_axon'], async () => {
    const { client, runTag } = getEnv();
    await serveAxon(client, { signer: miner, netuid, ip: MINER_IP, port: MINER_PORT });
    expect(await storageJson(client, 'axons', netuid, miner.address)).toMatchObject({ port: MINER_PORT, ipType: 4, ip: 0xcb007109 });
    expect((await dispatchFailure(serveAxon(client, { signer: miner, netuid, ip: '127.0.0.1', port: MINER_PORT }))).error).toBe('InvalidIpAddress');
    const stranger = keyring.addFromUri(`//Eve//conformance-stranger-${runTag}`);
    expect((await dispatchFailure(serveAxon(client, { signer: stranger, netuid, ip: MINER_IP, port: MINER_PORT }))).error).toBe('HotKeyNotRegisteredInNetwork');
  });

  scenario('stake on the validator; NotEnoughBalanceToStake and NotEnoughStakeToWithdraw, pre-flight and on dispatch', ['SubtensorModule.add_stake', 'SubtensorModule.remove_stake'], async () => {
    const { client, signers, runTag } = getEnv();
    const before = await getTotalHotkeyStake(client, { hotkey: validator.address });
    await addStake(client, { signer: signers.alice, hotkey: validator.address, amount: VALIDATOR_STAKE });
    expect((await getTotalHotkeyStake(client, { hotkey: validator.address })).rao - before.rao).toBe(VALIDATOR_STAKE.rao);
    expect((await getStake(client, { hotkey: validator.address, coldkey: signers.alice.address })).rao).toBeGreaterThanOrEqual(VALIDATOR_STAKE.rao);

    const poor = keyring.addFromUri(`//Ferdie//conformance-poor-${runTag}`);
    const balance = await getBalance(client, { address: poor.address });
    expect(balance.free.rao).toBe(0n);
    const noFunds = await dispatchFailure(addStake(client, { signer: poor, hotkey: validator.address, amount: Balance.fromTao('1') }));
    expect([noFunds.error, noFunds.preflight]).toEqual(['NotEnoughBalanceToStake', true]);

    const staked = await getStake(client, { hotkey: validator.address, coldkey: signers.alice.address });
    const withdraw = await dispatchFailure(removeStake(client, { signer: signers.alice, hotkey: validator.address, amount: staked.rao + 1n }));
    expect([withdraw.error, withdraw.preflight]).toEqual(['NotEnoughStakeToWithdraw', true]);
    expect(withdraw.details.facts).toEqual({ stakedRao: staked.rao.toString() });
    // The same failure on chain (pre-flight bypassed): the fee is spent and the remedy is read from the chain.
    const onChain = await dispatchFailure(
      submit(client, { tx: client.api.tx.subtensorModule.removeStake(validator.address, staked.rao + 1n), signer: signers.alice, remedyContext: { hotkey: validator.address, coldkey: signers.alice.address } }),
    );
    expect([onChain.pallet, onChain.error, onChain.preflight, onChain.remedy]).toEqual(['SubtensorModule', 'NotEnoughStakeToWithdraw', false, `the coldkey has τ${staked.tao} staked on this hotkey`]);
    // Spec 143 spells it NotEnoughStaketoWithdraw: reported under today's name, the chain's own kept beside it.
    expect(onChain.details.chainError).toBe('NotEnoughStakeToWithdraw' in client.api.errors.subtensorModule! ? undefined : 'NotEnoughStaketoWithdraw');
    // A coldkey that neither owns the hotkey nor may nominate to it (not a delegate) is refused by the chain first,
    // with the error the runtime has for it (spec 143 raised the general NonAssociatedColdKey).
    const notOwner = 'HotKeyNotDelegateAndSignerNotOwnHotKey' in client.api.errors.subtensorModule! ? 'HotKeyNotDelegateAndSignerNotOwnHotKey' : 'NonAssociatedColdKey';
    const foreign = await dispatchFailure(
      submit(client, { tx: client.api.tx.subtensorModule.removeStake(validator.address, 1n), signer: signers.charlie, remedyContext: { hotkey: validator.address, coldkey: signers.charlie.address } }),
    );
    expect([foreign.pallet, foreign.error, foreign.preflight]).toEqual(['SubtensorModule', notOwner, false]);
  });

  scenario('an epoch gives the staked validator the only permit; the miner gets NeuronNoValidatorPermit with the stake needed', ['SubtensorModule.set_weights'], async () => {
    const env = getEnv();
    const { client } = env;
    await untilEpoch(env, netuid);
    const mg = await metagraph(client, { netuid });
    expect(mg.validatorPermit[validatorUid]).toBe(true);
    expect(mg.validatorPermit[minerUid]).toBe(false);
    const pre = await dispatchFailure(setWeights(client, { signer: miner, netuid, uids: [validatorUid], weights: [1] }));
    expect([pre.error, pre.preflight]).toEqual(['NeuronNoValidatorPermit', true]);
    expect(pre.remedy).toMatch(/stake more than τ\d+\.\d{9} \(the lowest current permit holder\)/);
    const onChain = await dispatchFailure(
      submit(client, { tx: client.api.tx.subtensorModule.setWeights(netuid, [validatorUid], [65535], 0), signer: miner, remedyContext: { netuid, hotkey: miner.address } }),
    );
    expect([onChain.error, onChain.preflight, onChain.remedy]).toEqual(['NeuronNoValidatorPermit', false, pre.remedy]);
  });

  scenario('set weights; HotKeyNotRegisteredInSubNet and a malformed call are refused before anything is sent', ['SubtensorModule.set_weights'], async () => {
    const { client, runTag } = getEnv();
    const result = await setWeights(client, { signer: validator, netuid, uids: [minerUid], weights: [1] });
    expect(result.values).toEqual([65535]);
    expect(result.events.some((e) => e.name === 'WeightsSet')).toBe(true);
    expect(await storageJson(client, 'weights', netuid, validatorUid)).toEqual([[minerUid, 65535]]);
    const stranger = keyring.addFromUri(`//Eve//conformance-stranger-${runTag}`);
    const notRegistered = await dispatchFailure(setWeights(client, { signer: stranger, netuid, uids: [minerUid], weights: [1] }));
    expect([notRegistered.error, notRegistered.preflight]).toEqual(['HotKeyNotRegisteredInSubNet', true]);
    await expect(setWeights(client, { signer: validator, netuid, uids: [minerUid, validatorUid], weights: [1] })).rejects.toBeInstanceOf(InvalidParametersError);
  });

  scenario('run an epoch and read the metagraph: permits, the weighted miner\'s incentive, the axon', ['SubtensorModule.set_weights'], async () => {
    const env = getEnv();
    const { client, signers } = env;
    const step = await untilEpoch(env, netuid);
    const mg = await metagraph(client, { netuid, weights: true });
    expect(mg.block).toBeGreaterThanOrEqual(step);
    expect(mg.n).toBe(2);
    expect(mg.hotkeys[validatorUid]).toBe(validator.address);
    expect(mg.hotkeys[minerUid]).toBe(miner.address);
    expect(mg.coldkeys[validatorUid]).toBe(signers.alice.address);
    expect(mg.coldkeys[minerUid]).toBe(signers.bob.address);
    expect(mg.stake[validatorUid]!.rao).toBeGreaterThanOrEqual(VALIDATOR_STAKE.rao);
    expect(mg.validatorPermit).toEqual(validatorUid < minerUid ? [true, false] : [false, true]);
    expect(mg.incentive[minerUid]).toBe(1);
    expect(mg.incentive[validatorUid]).toBe(0);
    expect(mg.consensus[minerUid]).toBe(1);
    expect(mg.dividends[validatorUid]).toBe(1);
    expect(mg.validatorTrust[validatorUid]).toBe(1);
    expect(mg.weights![validatorUid]).toEqual([[minerUid, 65535]]);
    expect(mg.axons[minerUid]).toMatchObject({ ip: MINER_IP, port: MINER_PORT, ipType: 4, isServing: true });
    expect(mg.axons[validatorUid]!.isServing).toBe(false);
    // The incremental sync agrees with a fresh read a block later.
    await env.waitBlocks(1);
    await mg.sync();
    const fresh = await metagraph(client, { netuid, weights: true, block: mg.block });
    expect(mg.snapshot()).toEqual(fresh.snapshot());
    // From here the node pushes changes over a storage subscription: a sync at the next block reads no storage.
    try {
      await env.waitBlocks(1);
      const pushed = await mg.sync();
      expect(pushed).toMatchObject({ changed: true, keysRead: 0 });
      expect(pushed.keysPushed).toBeGreaterThan(0);
      const again = await metagraph(client, { netuid, weights: true, block: mg.block });
      expect(mg.snapshot()).toEqual(again.snapshot());
    } finally {
      await mg.close();
    }
  });

  scenario('SettingWeightsTooFast names the next allowed block, pre-flight and on dispatch', ['SubtensorModule.set_weights', SETTERS.weightsRateLimit], async () => {
    const { client, signers } = getEnv();
    await setHyperparameter(client, { signer: signers.alice, netuid, name: 'weights_rate_limit', value: 1000n });
    try {
      const lastUpdate = ((await storageJson(client, 'lastUpdate', netuid)) as number[])[validatorUid]!;
      const pre = await dispatchFailure(setWeights(client, { signer: validator, netuid, uids: [minerUid], weights: [1] }));
      expect([pre.error, pre.preflight]).toEqual(['SettingWeightsTooFast', true]);
      expect(pre.details.facts).toMatchObject({ nextAllowedBlock: lastUpdate + 1000 });
      const onChain = await dispatchFailure(
        submit(client, { tx: client.api.tx.subtensorModule.setWeights(netuid, [minerUid], [65535], 0), signer: validator, remedyContext: { netuid, hotkey: validator.address } }),
      );
      expect([onChain.pallet, onChain.error, onChain.preflight]).toEqual(['SubtensorModule', 'SettingWeightsTooFast', false]);
      expect(onChain.remedy).toBe(`wait until block ${lastUpdate + 1000} (LastUpdate ${lastUpdate} + WeightsSetRateLimit 1000)`);
    } finally {
      await setHyperparameter(client, { signer: signers.alice, netuid, name: 'weights_rate_limit', value: 0n });
    }
  });

  scenario('hyperparameters: a non-owner gets BadOrigin on dispatch, a non-sudo key Sudo.RequireSudo', [SETTERS.kappa, SETTERS.tempo, 'Sudo.sudo'], async () => {
    const { client, signers } = getEnv();
    const notOwner = await dispatchFailure(setHyperparameter(client, { signer: signers.dave, netuid, name: 'kappa', value: 1 }));
    expect([notOwner.error, notOwner.preflight]).toEqual(['BadOrigin', false]);
    const notSudo = await dispatchFailure(setHyperparameter(client, { signer: signers.dave, netuid, name: 'tempo', value: 9 }));
    expect(`${notSudo.pallet}.${notSudo.error}`).toBe('Sudo.RequireSudo');
    expect((await getHyperparameters(client, { netuid })).tempo).toBe(TEMPO);
  });

  scenario('transfer: InsufficientBalance is refused pre-flight', ['Balances.transfer_keep_alive'], async () => {
    const { client, signers, runTag } = getEnv();
    const poor = keyring.addFromUri(`//Ferdie//conformance-poor-${runTag}`);
    const err = await dispatchFailure(transfer(client, { signer: poor, dest: signers.alice.address, amount: 1n }));
    expect([err.pallet, err.error, err.preflight]).toEqual(['Balances', 'InsufficientBalance', true]);
  });

  scenario('child keys: schedule, read back, TxRateLimitExceeded on a second change', ['SubtensorModule.set_children'], async () => {
    const { client, signers } = getEnv();
    const scheduled = await setChildren(client, { signer: signers.alice, hotkey: validator.address, netuid, children: [{ proportion: 0.25, child: miner.address }] });
    expect(scheduled.cooldownBlock).toBeGreaterThan(scheduled.blockNumber);
    const pending = await getPendingChildren(client, { hotkey: validator.address, netuid });
    expect(pending?.cooldownBlock).toBe(scheduled.cooldownBlock);
    expect(pending?.children.map((c) => c.child)).toEqual([miner.address]);
    expect(pending!.children[0]!.fraction).toBeCloseTo(0.25, 12);
    const limited = await dispatchFailure(revokeChildren(client, { signer: signers.alice, hotkey: validator.address, netuid }));
    expect([limited.error, limited.preflight]).toEqual(['TxRateLimitExceeded', true]);
    expect(limited.details.facts).toMatchObject({ nextAllowedBlock: expect.any(Number) });
  });

  scenario('identities: set and read back a coldkey identity; InvalidIdentity pre-flight', ['SubtensorModule.set_identity'], async () => {
    const { client, signers, runTag } = getEnv();
    const name = `conformance-${runTag}`;
    await setIdentity(client, { signer: signers.alice, name, url: 'https://example.org/tensornet', description: 'conformance run' });
    expect(await getIdentity(client, { coldkey: signers.alice.address })).toMatchObject({ name, url: 'https://example.org/tensornet', description: 'conformance run' });
    const tooLong = await dispatchFailure(setIdentity(client, { signer: signers.alice, name: 'x'.repeat(300) }));
    expect([tooLong.error, tooLong.preflight]).toEqual(['InvalidIdentity', true]);
    expect(tooLong.remedy).toContain('name is 300 bytes (at most 256)');
  });
}
