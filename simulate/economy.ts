/**
 * Runs an economy config on the real localnet runtime, in process: a chain whose genesis holds the
 * config's subnets, neurons, stake, root validators and weights, then `epochs × (rootTempo + 1)` real
 * blocks. Every number reported is read from the chain's storage after the block it belongs to.
 *
 * Weights are written at genesis (`Weights`, as a `set_weights` / `set_root_weights` would store them).
 * Validators re-set the same weights every root epoch: the simulator refreshes their `LastUpdate` through
 * a root `System.set_storage` extrinsic (signed by the simulator's own sudo key) in the first block of
 * each epoch, so they stay active whatever the run's length.
 */
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  Chain, applyGenesisSubnets, appendNeuron, createAccountIfNonExistent, increaseStake, replaceNeuron, resolveAccount, runtimeItems, subtensorItems as st, totalHotkeyStake,
  type AccountId, type GenesisFile, type Runtime, type RuntimeContext, type StateOverlay, type StateReader,
} from '../localnet';
import { ROOT_NETUID, decideRootSeat, type RootMember } from '../root-network';
import type { EconomyConfig } from './config';
import { EconomyConfigError } from './config';

/** The sudo key the simulator signs its `LastUpdate` refreshes with (funded at genesis, owns nothing else). */
export const SIMULATOR_SUDO_URI = '//TensornetSimulatorSudo';
/** `Delegates` take forced on root members (spec §4.2). */
const ROOT_DELEGATE_TAKE = 11796;
/** Free balance of the simulator's sudo key (pays its refresh fees), rao; part of the genesis issuance. */
export const SIMULATOR_SUDO_BALANCE = 1_000_000_000_000n;

/** One recorded row: the state after the last block of a root epoch. */
export interface EconomyRow {
  /** 1-based epoch index. */
  readonly epoch: number;
  readonly block: number;
  /** `BlockEmission`, rao. */
  readonly blockEmission: bigint;
  /** Subtensor's `TotalIssuance`, rao. */
  readonly totalIssuance: bigint;
  /** `TotalStake`, rao. */
  readonly totalStake: bigint;
  /** `EmissionValues[netuid]` per netuid (root first, then the config's subnets), rao per block. */
  readonly emissionValues: ReadonlyArray<readonly [netuid: number, rao: bigint]>;
  /** Per tracked hotkey (config label): rao earned since genesis, drained into stake or still pending. */
  readonly rewards: ReadonlyArray<readonly [hotkey: string, rao: bigint]>;
  /** Σ free balance of the subnet owners' coldkeys (owner cuts land there), rao. */
  readonly ownerBalances: bigint;
}

export interface EconomyResult {
  readonly netuids: readonly number[];
  /** Tracked hotkeys, by their config label: root validators first, then subnet neurons, each once. */
  readonly hotkeys: readonly string[];
  readonly rows: readonly EconomyRow[];
}

export interface SimulateOptions {
  /** Root epochs to run. @default config.epochs */
  readonly epochs?: number;
  /** Called after each recorded epoch (for progress). */
  readonly onEpoch?: (row: EconomyRow, total: number) => void;
  /** Called with the chain and the row after each epoch, before the next block (tests read the chain's state here). */
  readonly inspect?: (chain: Chain, row: EconomyRow) => void;
}

/** Config account → id, reporting bad accounts as config errors. */
function accountOf(text: string, path: string): AccountId {
  try {
    return resolveAccount(text);
  } catch (err) {
    throw new EconomyConfigError('InvalidEconomyConfig', `config ${path}: ${(err as Error).message}`, { path });
  }
}

/** Hotkey label → account id, root validators first, then subnet neurons in order (first occurrence). */
function trackedHotkeys(config: EconomyConfig): Map<string, AccountId> {
  const tracked = new Map<string, AccountId>();
  config.root.forEach((r, i) => tracked.set(r.hotkey, accountOf(r.hotkey, `root.${i}.hotkey`)));
  config.subnets.forEach((s, i) => s.neurons.forEach((n, u) => tracked.has(n.hotkey) || tracked.set(n.hotkey, accountOf(n.hotkey, `subnets.${i}.neurons.${u}.hotkey`))));
  return tracked;
}

/** Writes the config into the genesis state (after the base genesis and the root network). */
function writeEconomyGenesis(config: EconomyConfig, state: StateOverlay, runtime: Runtime): void {
  const ctx: RuntimeContext = runtime.context(state, { number: 0, parentHash: `0x${'00'.repeat(32)}` });
  const s = st();
  s.Tempo.set(state, ROOT_NETUID, config.rootTempo);
  s.Rho.set(state, ROOT_NETUID, config.rootRho);
  s.Kappa.set(state, ROOT_NETUID, config.rootKappa);
  s.SubnetOwnerCut.set(state, config.subnetOwnerCut);
  s.HotkeyEmissionTempo.set(state, config.hotkeyEmissionTempo);
  const genesis: GenesisFile = {
    subnets: config.subnets.map((sn) => ({ netuid: sn.netuid, owner: sn.owner, tempo: sn.tempo, hyperparameters: sn.hyperparameters, neurons: sn.neurons.map(({ hotkey, coldkey, stake }) => ({ hotkey, coldkey, stake })) })),
  };
  config.subnets.forEach((sn, i) => {
    accountOf(sn.owner, `subnets.${i}.owner`);
    sn.neurons.forEach((n, u) => (accountOf(n.hotkey, `subnets.${i}.neurons.${u}.hotkey`), accountOf(n.coldkey, `subnets.${i}.neurons.${u}.coldkey`)));
  });
  applyGenesisSubnets(genesis, state, runtime);
  for (const sn of config.subnets) {
    const lastUpdate = [...s.LastUpdate.get(state, sn.netuid)];
    sn.neurons.forEach((n, uid) => {
      if (n.weights.length === 0) return;
      s.Weights.set(state, sn.netuid, uid, n.weights.map(([u, w]) => [u, w] as [number, number]));
      lastUpdate[uid] = 1n;
    });
    s.LastUpdate.set(state, sn.netuid, lastUpdate);
  }
  const mint = (coldkey: AccountId, hotkey: AccountId, stake: bigint): void => {
    createAccountIfNonExistent(ctx, coldkey, hotkey);
    if (stake === 0n) return;
    increaseStake(ctx, coldkey, hotkey, stake);
    s.TotalIssuance.set(state, s.TotalIssuance.get(state) + stake);
  };
  config.nominators.forEach((n, i) => mint(accountOf(n.coldkey, `nominators.${i}.coldkey`), accountOf(n.hotkey, `nominators.${i}.hotkey`), n.stake));
  // Root seats through the §4.2 rule, in config order (stake first, as root_register reads it).
  let members: RootMember[] = [];
  config.root.forEach((r, i) => {
    const hotkey = accountOf(r.hotkey, `root.${i}.hotkey`);
    mint(accountOf(r.coldkey, `root.${i}.coldkey`), hotkey, r.stake);
    const decision = decideRootSeat(members, { hotkey, stake: totalHotkeyStake(ctx, hotkey) }, s.MaxAllowedUids.get(state, ROOT_NETUID));
    if (decision.kind === 'rejected') throw new EconomyConfigError('InvalidEconomyConfig', `config root.${i}: ${r.hotkey} gets no root seat (${decision.reason})`, { path: `root.${i}` });
    const uid = decision.kind === 'append' ? appendNeuron(ctx, ROOT_NETUID, hotkey) : (replaceNeuron(ctx, ROOT_NETUID, decision.uid, hotkey), decision.uid);
    members = members.filter((m) => m.uid !== uid).concat({ uid, hotkey, stake: totalHotkeyStake(ctx, hotkey) });
    if (!s.Delegates.has(state, hotkey)) s.Delegates.set(state, hotkey, ROOT_DELEGATE_TAKE);
    s.Weights.set(state, ROOT_NETUID, uid, r.weights.map(([k, w]) => [k, w] as [number, number]));
  });
  if (config.issuance !== undefined) s.TotalIssuance.set(state, config.issuance);
}

/** The tracked hotkeys' stake plus pending emission. */
function earnings(view: StateReader, tracked: Map<string, AccountId>): Map<string, bigint> {
  const s = st();
  return new Map([...tracked].map(([label, hotkey]) => [label, s.TotalHotkeyStake.get(view, hotkey) + s.PendingdHotkeyEmission.get(view, hotkey)]));
}

/**
 * Runs the config for `epochs` root epochs on an in-process localnet and returns one row per epoch.
 * @throws {EconomyConfigError} for accounts that do not resolve or root validators that get no seat.
 */
export async function simulateEconomy(config: EconomyConfig, options: SimulateOptions = {}): Promise<EconomyResult> {
  await cryptoWaitReady();
  const epochs = options.epochs ?? config.epochs;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const sudo = keyring.addFromUri(SIMULATOR_SUDO_URI);
  const tracked = trackedHotkeys(config);
  const owners = [...new Set(config.subnets.map((sn, i) => accountOf(sn.owner, `subnets.${i}.owner`)))];
  let genesisError: unknown = null;
  const chain = await Chain.start({
    blockTimeMs: 0,
    genesis: { balances: [[u8aToHex(sudo.publicKey) as AccountId, SIMULATOR_SUDO_BALANCE]], sudo: u8aToHex(sudo.publicKey) as AccountId },
    extendGenesis: (state, runtime) => {
      try {
        writeEconomyGenesis(config, state, runtime);
      } catch (err) {
        genesisError = err;
      }
    },
  });
  try {
    if (genesisError !== null) throw genesisError;
    const s = st();
    const initial = earnings(chain.stateAt(), tracked);
    const netuids = [ROOT_NETUID, ...config.subnets.map((sn) => sn.netuid)];
    const period = config.rootTempo + 1;
    const { meta } = chain.runtime;
    const rows: EconomyRow[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      await chain.submitExtrinsic(refreshLastUpdate(chain, config, sudo, chain.bestBlock().number + 1, meta));
      for (let i = 0; i < period; i++) await chain.newBlock();
      const view = chain.stateAt();
      const now = earnings(view, tracked);
      const row: EconomyRow = {
        epoch,
        block: chain.bestBlock().number,
        blockEmission: s.BlockEmission.get(view),
        totalIssuance: s.TotalIssuance.get(view),
        totalStake: s.TotalStake.get(view),
        emissionValues: netuids.map((k) => [k, s.EmissionValues.get(view, k)] as const),
        rewards: [...tracked.keys()].map((label) => [label, now.get(label)! - initial.get(label)!] as const),
        ownerBalances: owners.reduce((sum, o) => sum + runtimeItems().System.Account.get(view, o).data.free, 0n),
      };
      rows.push(row);
      options.inspect?.(chain, row);
      options.onEpoch?.(row, epochs);
    }
    return { netuids, hotkeys: [...tracked.keys()], rows };
  } finally {
    await chain.close();
  }
}

/** The signed `Sudo.sudo(System.set_storage(LastUpdate[netuid] = block for every weight setter))` for block `block`. */
function refreshLastUpdate(chain: Chain, config: EconomyConfig, sudo: ReturnType<Keyring['addFromUri']>, block: number, meta: Chain['runtime']['meta']): Uint8Array {
  const s = st();
  const view = chain.stateAt();
  const items: [string, string][] = [];
  for (const sn of config.subnets) {
    const lastUpdate = [...s.LastUpdate.get(view, sn.netuid)];
    sn.neurons.forEach((n, uid) => {
      if (n.weights.length > 0) lastUpdate[uid] = BigInt(block);
    });
    items.push([s.LastUpdate.key(sn.netuid), u8aToHex(s.LastUpdate.valueCodec.encode(lastUpdate))]);
  }
  const { registry } = meta;
  const setStorage = registry.createType('Call', { callIndex: meta.callIndex('System', 'set_storage'), args: { items } });
  const call = registry.createType('Call', { callIndex: meta.callIndex('Sudo', 'sudo'), args: { call: setStorage } });
  const ext = registry.createType('Extrinsic', call);
  ext.sign(sudo, {
    blockHash: chain.genesisHash,
    genesisHash: chain.genesisHash,
    nonce: chain.accountNextIndex(sudo.address),
    runtimeVersion: { specVersion: 219, transactionVersion: 1 } as never,
    era: 0 as never,
  });
  return ext.toU8a();
}
