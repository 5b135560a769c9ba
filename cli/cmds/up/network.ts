/**
 * The whole network in one process: localnet with the configured subnets in its genesis (owners, validators
 * with their stakes, registered miners), a miner per tier and a copier per subnet serving real models, a
 * validator loop per validator, root registration of the validators and a root validator that sets root
 * weights from what the validators measure, and the validator API for apps. `close()` stops everything in
 * reverse order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, rootRegister, setRootWeights, type ChainClient } from '../../../chain-client';
import { keypairFromUri, type Keypair } from '../../../chain-client/wallet';
import { silentLogger } from '../../../common/logger';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile, startLocalnet, subtensorItems, type Localnet } from '../../../localnet';
import { Miner } from '../../../miner';
import { InferenceEngine } from '../../../miner/engine';
import { attachHandler, chooseModel, type MinerHandler } from '../../../miner/handlers';
import { loadMechanism, minerHandlerOf, type AnySubnet } from '../../../subnets';
import { ApiKeyStore, createApiKey, createValidatorApi, Dendrite, Validator, type ValidatorApi } from '../../../validator';
import { usage } from '../../keys';
import { copierHandler } from './copier';
import { rootWeights } from './root-weights';
import type { UpConfig } from './config';

/** The address miners announce: a documentation address (TEST-NET-1) standing for "this machine"; validators reach it on loopback. */
export const UP_EXTERNAL_IP = '192.0.2.10';
const FUNDS = '1000000000000000';
const RAO_PER_TAO = 1_000_000_000;

export interface NeuronRole {
  readonly netuid: number;
  readonly uid: number;
  readonly hotkey: string;
  /** `validator`, a tier name, or `copier`. */
  readonly role: string;
}

export interface RunningSubnet {
  readonly netuid: number;
  readonly mechanism: AnySubnet;
  readonly validators: readonly Validator[];
  readonly roles: readonly NeuronRole[];
}

export interface RunningNetwork {
  readonly chainUrl: string;
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly client: ChainClient;
  readonly subnets: readonly RunningSubnet[];
  readonly api: ValidatorApi;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly port: number;
  readonly apiPort: number;
  /** One line per setup step. */
  readonly progress: (line: string) => void;
}

interface Plan {
  readonly netuid: number;
  readonly mechanism: AnySubnet;
  readonly owner: string;
  readonly validators: ReadonlyArray<{ readonly uri: string; readonly stake: number }>;
  readonly miners: ReadonlyArray<{ readonly uri: string; readonly tier: string | null; readonly copies: string | null }>;
}

function plan(config: UpConfig): Plan[] {
  return config.subnets.map((subnet, i) => {
    let mechanism: AnySubnet;
    try {
      mechanism = loadMechanism(subnet.mechanism);
    } catch (err) {
      throw usage(`--config: subnets.${i}.mechanism: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    const known = Object.keys(mechanism.miner.tiers);
    const tiers = subnet.tiers ?? known;
    const unknown = tiers.find((t) => !known.includes(t));
    if (unknown !== undefined) throw usage(`--config: subnets.${i}.tiers: ${mechanism.name} has no tier "${unknown}" (tiers: ${known.join(', ')})`);
    const name = `${mechanism.name}${i}`;
    const miners: Array<Plan['miners'][number]> = tiers.map((tier) => ({ uri: `//Bob//${name}-${tier}`, tier, copies: null }));
    if (subnet.copier) miners.push({ uri: `//Bob//${name}-copier`, tier: null, copies: miners[0]!.uri });
    return {
      netuid: i + 1,
      mechanism,
      owner: subnet.owner,
      validators: subnet.validators.map((stake, v) => ({ uri: `${subnet.owner}//${name}-v${v}`, stake })),
      miners,
    };
  });
}

function genesisDocument(plans: readonly Plan[], config: UpConfig): unknown {
  const accounts = new Set(['//Alice', '//Bob', ...plans.map((p) => p.owner)]);
  return {
    balances: [...accounts].map((a) => [a, FUNDS]),
    subnets: plans.map((p) => ({
      netuid: p.netuid,
      owner: p.owner,
      tempo: config.tempo,
      hyperparameters: {
        WeightsSetRateLimit: 0,
        MinAllowedWeights: 1,
        MaxAllowedValidators: p.validators.length,
        ServingRateLimit: 0,
        ActivityCutoff: 5000,
        WeightsVersionKey: p.mechanism.versionKey,
        TargetRegistrationsPerInterval: 100,
        MaxRegistrationsPerBlock: 100,
      },
      neurons: [
        ...p.validators.map((v) => ({ hotkey: v.uri, coldkey: p.owner, stake: String(BigInt(Math.round(v.stake * RAO_PER_TAO))) })),
        ...p.miners.map((m) => ({ hotkey: m.uri, coldkey: '//Bob', stake: '0' })),
      ],
    })),
  };
}

export async function startNetwork(config: UpConfig, options: StartOptions): Promise<RunningNetwork> {
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    await cryptoWaitReady();
    const plans = plan(config);
    const dataDir = mkdtempSync(join(tmpdir(), 'tensornet-up-'));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const file = parseGenesisFile(genesisDocument(plans, config));
    let net: Localnet;
    try {
      net = await startLocalnet({
        port: options.port,
        dataDir,
        blockTimeMs: config.blockTimeMs,
        genesis: genesisConfigOf(file),
        runtimeConfig: { newSubnetTempo: config.tempo },
        extendGenesis: (state, runtime) => {
          const items = subtensorItems();
          items.Tempo.set(state, 0, config.tempo);
          items.NetworkRateLimit.set(state, 0n);
          // Every validator takes its root seat in the first blocks.
          items.MaxRegistrationsPerBlock.set(state, 0, 256);
          items.TargetRegistrationsPerInterval.set(state, 0, 256);
          applyGenesisSubnets(file, state, runtime);
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw usage(`port ${options.port} on 127.0.0.1 is in use (pick another with --port)`, err);
      throw err;
    }
    closers.push(() => net.close());
    options.progress(`localnet on ${net.url}: ${plans.length} subnet(s) in the genesis, ${config.blockTimeMs} ms blocks, tempo ${config.tempo}`);
    const client = await connect({ network: net.url, timeoutMs: 30_000 });
    closers.push(() => client.close());

    const running: RunningSubnet[] = [];
    for (const p of plans) {
      const handler = minerHandlerOf(p.mechanism);
      const miners = new Map<string, Miner>();
      for (const m of p.miners) {
        let minerHandler: MinerHandler = handler;
        let engine: InferenceEngine | null = null;
        if (m.copies !== null) {
          const dendrite = new Dendrite({ hotkey: keypairFromUri(m.uri), externalIp: UP_EXTERNAL_IP });
          closers.push(() => dendrite.close());
          const original = m.copies;
          minerHandler = copierHandler(p.mechanism, dendrite, () => ({ ip: UP_EXTERNAL_IP, port: miners.get(original)!.axon.port, hotkey: miners.get(original)!.axon.hotkey }));
        } else {
          const model = chooseModel(handler, m.tier, undefined);
          if (model !== undefined) {
            const loaded = await InferenceEngine.load(model, { device: 'cpu', watch: false, intraOpNumThreads: 1, ...(handler.modelSpec ? { spec: handler.modelSpec } : {}) });
            engine = loaded;
            closers.push(() => loaded.close());
          }
        }
        const miner = await Miner.start({ client, netuid: p.netuid, hotkey: keypairFromUri(m.uri), externalIp: UP_EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 5_000 }, (axon) =>
          attachHandler(minerHandler, axon, { engine, tier: m.tier, logger: silentLogger }),
        );
        closers.push(() => miner.stop());
        miners.set(m.uri, miner);
      }
      options.progress(`subnet ${p.netuid} (${p.mechanism.name} ${p.mechanism.version}): ${p.miners.length} miners serving (${p.miners.map((m) => m.tier ?? 'copier').join(', ')})`);
      const validators: Validator[] = [];
      for (const v of p.validators) {
        const validator = await Validator.create({ client, netuid: p.netuid, hotkey: keypairFromUri(v.uri), subnet: p.mechanism, stepIntervalMs: config.stepIntervalMs, dendrite: { externalIp: UP_EXTERNAL_IP } });
        validator.run();
        closers.push(() => validator.stop());
        validators.push(validator);
      }
      options.progress(`subnet ${p.netuid}: ${validators.length} validators scoring (stakes ${p.validators.map((v) => v.stake).join(', ')} TAO)`);
      const graph = validators[0]!.metagraph;
      const roles: NeuronRole[] = [
        ...p.validators.map((v) => ({ uri: v.uri, role: 'validator' })),
        ...p.miners.map((m) => ({ uri: m.uri, role: m.tier ?? 'copier' })),
      ].map(({ uri, role }) => {
        const hotkey = keypairFromUri(uri).address;
        return { netuid: p.netuid, uid: graph.hotkeys.indexOf(hotkey), hotkey, role };
      });
      running.push({ netuid: p.netuid, mechanism: p.mechanism, validators, roles });
    }

    // Root: every validator takes a root seat; the lead validator of the first subnet sets root weights.
    const coldkeys = new Map<string, Keypair>();
    for (const p of plans) {
      const coldkey = coldkeys.get(p.owner) ?? keypairFromUri(p.owner);
      coldkeys.set(p.owner, coldkey);
      for (const v of p.validators) await rootRegister(client, { signer: coldkey, hotkey: keypairFromUri(v.uri).address });
    }
    options.progress(`root network: ${plans.reduce((n, p) => n + p.validators.length, 0)} validators registered`);

    const keyFile = join(dataDir, 'api-keys.json');
    const key = createApiKey(keyFile, 'tensornet-up');
    let api: ValidatorApi;
    try {
      api = await createValidatorApi({ validators: running.map((s) => s.validators[0]!), keys: ApiKeyStore.open(keyFile), port: options.apiPort });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw usage(`port ${options.apiPort} on 127.0.0.1 is in use (pick another with --api-port)`, err);
      throw err;
    }
    closers.push(() => api.close());
    options.progress(`validator API on ${api.url}`);

    const rootLead = plans[0]!;
    const rootSigner = coldkeys.get(rootLead.owner)!;
    const rootHotkey = keypairFromUri(rootLead.validators[0]!.uri).address;
    const setRoot = async (): Promise<void> => {
      const usage = new Map(api.usage().map((u) => [u.netuid, u]));
      const weights = rootWeights(running.map((s) => ({ netuid: s.netuid, scores: s.validators[0]!.scores, served: usage.get(s.netuid)?.successes ?? 0 })));
      if (weights.every((w) => w === 0)) return;
      await setRootWeights(client, { signer: rootSigner, hotkey: rootHotkey, netuids: running.map((s) => s.netuid), weights });
    };
    let rootBusy = false;
    const rootTimer = setInterval(() => {
      if (rootBusy) return;
      rootBusy = true;
      setRoot()
        .catch(() => undefined)
        .finally(() => {
          rootBusy = false;
        });
    }, config.tempo * config.blockTimeMs);
    closers.push(async () => clearInterval(rootTimer));

    return {
      chainUrl: net.url,
      apiUrl: api.url,
      apiKey: key.secret,
      client,
      subnets: running,
      api,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
