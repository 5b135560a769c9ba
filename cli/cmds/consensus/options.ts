import type { Options } from 'yargs';

/** Flags shared by `tensornet consensus yuma` and `tensornet consensus root`. */
export interface ConsensusArgs {
  /** Path of the vector file to read, or `-` for standard input. */
  readonly input: string;
  /** Pretty-print the JSON result. @default false */
  readonly pretty: boolean;
}

export const consensusOptions = {
  input: {
    alias: 'i',
    type: 'string',
    demandOption: true,
    requiresArg: true,
    description: 'Vector file to read (JSON, the schema of tests/fixtures/vectors), or - for stdin',
  },
  pretty: {
    type: 'boolean',
    default: false,
    description: 'Indent the JSON output instead of printing one line',
  },
} as const satisfies Record<keyof ConsensusArgs, Options>;
