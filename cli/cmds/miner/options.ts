/**
 * `tensornet miner` flags. This module stays light (no onnxruntime, express or @polkadot/api): every
 * `tensornet` command loads it to build the parser. The defaults that restate a library's own are kept
 * equal to it by tests/cli/miner-cli.test.ts.
 */
import type { Options } from 'yargs';
import type { Device } from '../../../miner/engine';
import type { LogLevel } from '../../logging';

/** `--device` choices: the engine's `DEVICES`. */
export const DEVICE_CHOICES = ['auto', 'cuda', 'webgpu', 'cpu'] as const satisfies readonly Device[];
/** `--port`: the axon's `DEFAULT_AXON_PORT`. */
export const DEFAULT_AXON_PORT = 8091;
/** `--max-batch` / `--max-delay-ms`: the engine's `DEFAULT_MAX_BATCH` / `DEFAULT_MAX_DELAY_MS`. */
export const DEFAULT_MAX_BATCH = 32;
export const DEFAULT_MAX_DELAY_MS = 2;
/** `--max-concurrent`: the axon scheduler's default of handlers running at once. */
export const DEFAULT_MAX_CONCURRENT = 8;
/**
 * `--metrics-port`: the axon's 8091 one thousand up. (Prometheus' Pushgateway also defaults to 9091; on a
 * host running one, pick another port.) `0` picks a free port; `--no-metrics` turns the server off.
 */
export const DEFAULT_METRICS_PORT = 9091;
/** `--metrics-host`: loopback, so the scrape endpoint is not exposed with the axon. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

export interface MinerArgs {
  readonly netuid: number;
  readonly subnet: string;
  readonly wallet?: string;
  readonly hotkey?: string;
  readonly 'wallet-path'?: string;
  readonly model?: string;
  readonly tier?: string;
  readonly device: Device;
  readonly threads?: number;
  readonly 'max-batch': number;
  readonly 'max-delay-ms': number;
  readonly watch: boolean;
  readonly network: string;
  readonly register: boolean;
  readonly host: string;
  readonly port: number;
  readonly 'external-ip'?: string;
  readonly 'external-port'?: number;
  readonly 'require-permit': boolean;
  readonly 'min-stake': number;
  readonly 'allow-unregistered': boolean;
  readonly 'max-concurrent': number;
  readonly 'nonce-file'?: string;
  readonly metrics: boolean;
  readonly 'metrics-host': string;
  readonly 'metrics-port': number;
  readonly 'log-level': LogLevel;
}

/** `tensornet miner`'s own flags; the config file's `miner` section may set them too (`cli/config`). */
export const minerOptions = {
  netuid: { type: 'number', demandOption: true, requiresArg: true, description: 'The subnet to mine on' },
  subnet: { type: 'string', demandOption: true, requiresArg: true, description: 'Which handler serves it: built in (tensor, digits, ocr) or the path of a mechanism module (tensornet subnet init)' },
  tier: { type: 'string', requiresArg: true, description: 'The subnet\'s quality tier to run, e.g. digits: linear|mlp|mlp-large [default: the subnet\'s first]' },
  model: { type: 'string', requiresArg: true, description: 'ONNX model file (required by the tensor subnet; overrides a tier\'s committed model); hot-reloaded when it changes' },
  device: { choices: DEVICE_CHOICES, default: 'auto' as Device, description: 'Execution provider: auto tries cuda, then webgpu, then cpu' },
  threads: { type: 'number', requiresArg: true, description: 'onnxruntime intra-op threads [default: onnxruntime\'s choice]' },
  'max-batch': { type: 'number', default: DEFAULT_MAX_BATCH, description: 'Most rows in one batched run (1 turns dynamic batching off)' },
  'max-delay-ms': { type: 'number', default: DEFAULT_MAX_DELAY_MS, description: 'Longest a request waits behind a running batch before going out as another batch (no effect while the engine keeps one batch in flight, as it does today)' },
  watch: { type: 'boolean', default: true, description: 'Hot-reload the model when its file changes (--no-watch to turn off)' },
  register: { type: 'boolean', default: false, description: 'Burn-register the hotkey when it holds no uid, paid by the coldkey (unencrypted, or unlocked by its BT_PW_ variable; never prompts)' },
  host: { type: 'string', default: '0.0.0.0', description: 'Interface the axon binds' },
  port: { type: 'number', default: DEFAULT_AXON_PORT, description: 'Axon port (0 picks a free one)' },
  'external-ip': { type: 'string', requiresArg: true, description: 'The IP announced on chain, that validators connect to (required unless --host is such an address; the chain refuses 0.0.0.0 and 127.0.0.1)' },
  'external-port': { type: 'number', requiresArg: true, description: 'The port announced on chain [default: the bound port]' },
  'require-permit': { type: 'boolean', default: false, description: 'Serve only callers holding a validator permit' },
  'min-stake': { type: 'number', default: 0, description: 'Minimum stake (TAO) a caller must hold' },
  'allow-unregistered': { type: 'boolean', default: false, description: 'Also serve hotkeys not registered on the subnet (lowest priority)' },
  'max-concurrent': { type: 'number', default: DEFAULT_MAX_CONCURRENT, description: 'Requests handled at once; the rest queue by caller stake' },
  'nonce-file': { type: 'string', requiresArg: true, description: 'Where accepted request nonces persist across restarts [default: ~/.tensornet/miners/<wallet>/<hotkey>/netuid<N>/nonces]' },
  metrics: { type: 'boolean', default: true, description: 'Serve Prometheus metrics (--no-metrics to turn off)' },
  'metrics-host': { type: 'string', default: DEFAULT_METRICS_HOST, description: 'Interface the /metrics server binds' },
  'metrics-port': { type: 'number', default: DEFAULT_METRICS_PORT, description: '/metrics port (0 picks a free one)' },
} as const satisfies Record<string, Options>;


/**
 * The shared settings `tensornet miner` takes (flags, `TENSORNET_*` variables, config file), and its
 * config section: `{"miner": {"port": 8091, …}}` sets any of its own flags.
 */
export const minerSettings = {
  keys: ['network', 'wallet', 'hotkey', 'wallet-path', 'log-level'],
  describe: { hotkey: "Hotkey name in the wallet: the miner's identity" },
  section: { name: 'miner', options: minerOptions },
} as const;
