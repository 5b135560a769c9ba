/** Entry point of the `tensornet` command (bin/tensornet.js requires the compiled dist/cli/main.js). */
import { runCli } from './cli';

void runCli(process.argv.slice(2)).then((code) => {
  // exitCode rather than exit(): lets a piped stdout drain before the process ends.
  process.exitCode = code;
});
