/**
 * `tensornet miner`: serves a subnet's synapses on a signed axon, announced on chain, until interrupted.
 * The first SIGINT/SIGTERM stops it gracefully (new requests get 503, in-flight ones finish, then the
 * engine, the metrics server and the chain client close); a second one exits at once.
 *
 * Only the flag table is loaded with the parser; the miner itself (onnxruntime, express, @polkadot/api)
 * is loaded when the command runs, so other commands start no slower for it.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import type { MinerCommandHooks } from './handler';
import { withSettings } from '../../config';
import { minerSettings, type MinerArgs } from './options';

export type { MinerCommandHooks, MinerModules, RunningMiner } from './handler';
export type { MinerConfig } from './config';
export { minerOptions, minerSettings, type MinerArgs } from './options';

export function minerCommand(io: CliIo, hooks: MinerCommandHooks = {}): CommandModule<object, MinerArgs> {
  return {
    command: 'miner',
    describe: "Serve a subnet's synapses on a signed axon announced on chain (ONNX inference, Prometheus /metrics)",
    builder: (y) =>
      withSettings(y, io, minerSettings)
        .example('$0 miner --netuid 1 --subnet tensor --model model.onnx --wallet w --hotkey h --external-ip 203.0.113.7', 'serve model.onnx on subnet 1 of the local chain'),
    handler: async (args) => {
      const { minerHandler } = await import('./handler');
      await minerHandler(args, io, hooks);
    },
  };
}
