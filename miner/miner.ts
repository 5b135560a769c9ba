/**
 * A miner's chain presence around its axon: registration (if asked), `serve_axon` with the explicit
 * external address (NAT, containers), re-serving when the announced address differs from the chain's,
 * and the callers table refreshed from the metagraph's incremental `sync()` on a clock.
 */
import { burnedRegister, getNetworks, getUid, metagraph, serveAxon, type ChainClient, type Metagraph } from '../chain-client';
import type { Keypair } from '../chain-client/wallet';
import { silentLogger, type Logger } from '../common/logger';
import { PROTOCOL_VERSION } from '../protocol';
import { Axon, type AxonOptions } from './axon';
import { MetagraphCallers } from './callers';
import { MinerError } from './errors';

export interface MinerOptions {
  readonly client: ChainClient;
  readonly netuid: number;
  readonly hotkey: Keypair;
  /** Pays the burn when `register` is set. */
  readonly coldkey?: Keypair;
  /** Register the hotkey (burned registration) when it holds no uid. @default false */
  readonly register?: boolean;
  /** The address announced on chain: what validators connect to. */
  readonly externalIp: string;
  /** @default the axon's bound port */
  readonly externalPort?: number;
  /** How often the metagraph is synced and the announced address checked, ms. @default 12_000 */
  readonly refreshMs?: number;
  /** Axon settings (its hotkey, callers and external address come from the miner). */
  readonly axon?: Omit<AxonOptions, 'hotkey' | 'callers' | 'externalIp' | 'externalPort'>;
  readonly logger?: Logger;
}

export class Miner {
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: MinerOptions,
    readonly axon: Axon,
    readonly graph: Metagraph,
    readonly callers: MetagraphCallers,
    readonly uid: number,
    private readonly log: Logger,
  ) {}

  /**
   * Registers (if asked), starts the axon with the synapses `attach` adds, announces it on chain and starts
   * the refresh clock.
   * @throws MinerError `SubNetworkDoesNotExist`, `HotKeyNotRegisteredInNetwork`, `ColdkeyRequired`; chain-client operation errors
   */
  static async start(options: MinerOptions, attach: (axon: Axon) => void): Promise<Miner> {
    const log = options.logger ?? silentLogger;
    const { client, netuid, hotkey } = options;
    if (!(await getNetworks(client)).includes(netuid)) throw new MinerError('SubNetworkDoesNotExist', `subnet ${netuid} does not exist on this chain`, { netuid });
    let uid = await getUid(client, { netuid, hotkey: hotkey.address });
    if (uid === undefined) {
      if (!options.register) throw new MinerError('HotKeyNotRegisteredInNetwork', `hotkey ${hotkey.address} is not registered on subnet ${netuid}; register it first or pass --register`, { netuid, hotkey: hotkey.address });
      if (!options.coldkey) throw new MinerError('ColdkeyRequired', 'registering needs the coldkey that pays the burn', { netuid });
      const result = await burnedRegister(client, { signer: options.coldkey, netuid, hotkey: hotkey.address });
      uid = result.uid;
      log.info('registered', { netuid, uid, burn: result.burn.toString() });
    }
    const graph = await metagraph(client, { netuid });
    const callers = new MetagraphCallers();
    callers.update(graph);
    let axon: Axon;
    try {
      axon = new Axon({ ...options.axon, hotkey, callers, externalIp: options.externalIp, ...(options.externalPort ? { externalPort: options.externalPort } : {}) });
    } catch (err) {
      await graph.close();
      throw err;
    }
    try {
      attach(axon);
      await axon.start();
    } catch (err) {
      await axon.stop();
      await graph.close();
      throw err;
    }
    const miner = new Miner(options, axon, graph, callers, uid, log);
    try {
      await miner.announce();
    } catch (err) {
      await miner.stop();
      throw err;
    }
    miner.timer = setInterval(() => void miner.refresh(), options.refreshMs ?? 12_000);
    miner.timer.unref();
    return miner;
  }

  /** Syncs the metagraph, rebuilds the callers table and re-announces the axon if the chain's record differs. Errors are logged, not thrown. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      try {
        const stats = await this.graph.sync();
        if (stats.changed) this.callers.update(this.graph);
        if (!this.graph.hotkeys.includes(this.axon.hotkey)) {
          this.log.error('the hotkey is no longer registered on the subnet (deregistered)', { netuid: this.options.netuid });
          return;
        }
        await this.announce();
      } catch (err) {
        this.log.warn('refresh failed', { error: err instanceof Error ? err.message : String(err) });
      }
    });
    return this.refreshing;
  }

  /** Serves the axon on chain unless the chain already lists this address. */
  private async announce(): Promise<void> {
    const uid = this.graph.hotkeys.indexOf(this.axon.hotkey);
    const listed = uid >= 0 ? this.graph.axons[uid] : undefined;
    const ip = this.axon.externalIp;
    const port = this.axon.externalPort;
    if (listed && listed.ip === ip && listed.port === port && listed.version === PROTOCOL_VERSION) return;
    await serveAxon(this.options.client, { signer: this.options.hotkey, netuid: this.options.netuid, ip, port, version: PROTOCOL_VERSION });
    this.log.info('axon served on chain', { netuid: this.options.netuid, ip, port, previous: listed?.isServing ? `${listed.ip}:${listed.port}` : null });
    await this.graph.sync();
  }

  /** Stops the clock and the axon (in-flight requests finish), and ends the metagraph subscription. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing;
    await this.axon.stop();
    await this.graph.close();
  }
}
