/** `tensornet up`, running: start, report each epoch, stop cleanly on the first signal, exit on the second. */
import type { CliIo } from '../../io';
import { usage } from '../../keys';
import { untilStopped } from '../../until-stopped';
import { loadUpConfig } from './config';
import type { UpArgs, UpHooks } from './index';
import { startNetwork } from './network';
import { epochTable } from './table';

export async function upHandler(args: UpArgs, io: CliIo, hooks: UpHooks = {}): Promise<void> {
  for (const [flag, value] of [['port', args.port], ['api-port', args['api-port']]] as const) {
    if (!(Number.isInteger(value) && value >= 0 && value <= 65535)) throw usage(`--${flag} must be an integer in [0, 65535] (got ${value})`);
  }
  const config = loadUpConfig(args.config);
  const started = performance.now();
  const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
  const progress = (line: string): void => io.writeStderr(`tensornet up [${seconds()} s]: ${line}\n`);
  const network = await startNetwork(config, { port: args.port, apiPort: args['api-port'], progress });
  io.writeStdout(
    `the network is up: chain ${network.chainUrl}; validator API ${network.apiUrl} (key: ${network.apiKey}); dashboard ${network.apiUrl}/dashboard#key=${network.apiKey}\n` +
      `try: curl -s -H 'authorization: Bearer ${network.apiKey}' ${network.apiUrl}/v1/subnets\n`,
  );
  let firstIncentive = false;
  let printing = Promise.resolve();
  const lead = network.subnets[0]!.validators[0]!;
  const onEpoch = (block: number): void => {
    printing = printing.then(async () => {
      const table = await epochTable(network.client, network.subnets, block).catch((err: unknown) => `block ${block}: ${err instanceof Error ? err.message : String(err)}\n`);
      io.writeStdout(table);
      const anyIncentive = network.subnets.some((s) => s.validators[0]!.metagraph.incentive.some((x) => x > 0));
      if (anyIncentive && !firstIncentive) {
        firstIncentive = true;
        io.writeStdout(`first epoch with non-zero incentive: ${seconds()} s after the command started\n`);
      }
    });
  };
  lead.on('epoch', onEpoch);

  await untilStopped({
    io,
    command: 'tensornet up',
    signal: hooks.signal,
    stop: async () => {
      lead.off('epoch', onEpoch);
      await printing;
      await network.close();
    },
  });
  io.writeStderr('tensornet up: stopped\n');
}
