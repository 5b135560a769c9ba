/**
 * The settings schema as yargs flags, and the builder step every command that takes shared settings runs:
 * it declares the flags (with their `TENSORNET_*` names in `--help`) and `--config-file`, and resolves
 * flag > variable > config file > default before yargs validates the command (so a section of the config
 * file may give a required flag). Also the check that a scalar flag is not given twice.
 */
import { homedir } from 'node:os';
import type { Argv, InferredOptionTypes, MiddlewareFunction, Options } from 'yargs';
import { z } from 'zod';
import { CliError } from '../errors';
import type { CliIo } from '../io';
import { CONFIG_ENV, envName, settingField, SETTING_KEYS, type SettingKey, type Settings } from './schema';
import { resolveSettings, type Env, type SectionSpec } from './resolve';

interface StringOption {
  readonly type: 'string';
  readonly requiresArg: true;
  readonly description: string;
  readonly defaultDescription?: string;
}
interface BooleanOption {
  readonly type: 'boolean';
  readonly description: string;
  readonly defaultDescription?: string;
}
interface ChoicesOption<C extends string> {
  readonly choices: readonly C[];
  readonly description: string;
  readonly defaultDescription?: string;
}
type OptionFor<V> = V extends boolean ? BooleanOption : V extends string ? (string extends V ? StringOption : ChoicesOption<V>) : never;

/** The yargs flag of each setting, typed from the schema's output type. */
export type SettingOptions = { readonly [K in SettingKey]: OptionFor<NonNullable<Settings[K]>> };

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** A setting's flag, derived from its field in the schema. */
function optionOf(key: SettingKey): Options {
  const { schema, description, defaultText } = settingField(key);
  const base = { description: `${description} [env: ${envName(key)}]`, ...(defaultText === undefined ? {} : { defaultDescription: defaultText }) };
  const inner = unwrap(schema);
  if (inner instanceof z.ZodBoolean) return { ...base, type: 'boolean' };
  if (inner instanceof z.ZodEnum) return { ...base, choices: inner.options as string[] };
  if (inner instanceof z.ZodString) return { ...base, type: 'string', requiresArg: true };
  throw new Error(`settings schema: ${key} has a type no flag is derived for`);
}

export const SETTING_OPTIONS = Object.freeze(Object.fromEntries(SETTING_KEYS.map((key) => [key, optionOf(key)]))) as SettingOptions;

/** `--config-file`: where the settings file is. */
export const CONFIG_FILE_OPTION = {
  'config-file': { type: 'string', requiresArg: true, description: `The settings file (JSON; see tensornet config show --help) [env: ${CONFIG_ENV}]`, defaultDescription: '~/.tensornet/config.json' },
} as const satisfies Record<string, Options>;

/** The flags of `keys`, with a command's own description where it says more than the schema's. */
export function settingOptions<K extends SettingKey>(keys: readonly K[], describe: Partial<Record<K, string>> = {}): Pick<SettingOptions, K> {
  const out: Partial<Record<SettingKey, Options>> = {};
  for (const key of keys) {
    const option = SETTING_OPTIONS[key];
    const own = describe[key];
    out[key] = own === undefined ? option : { ...option, description: `${own} [env: ${envName(key)}]` };
  }
  return out as Pick<SettingOptions, K>;
}

/** What a command takes: some of the shared settings, and optionally its own flags settable from its config section. */
export interface SettingsSpec<K extends SettingKey, O extends Record<string, Options>> {
  readonly keys: readonly K[];
  /** Descriptions that say more than the schema's for this command. */
  readonly describe?: Partial<Record<K, string>>;
  /** The command's config-file section and its own flags (which then may be set there). */
  readonly section?: { readonly name: SectionSpec['name']; readonly options: O };
}

/** The resolved settings as the handler sees them: every setting with a default is set. */
export type SettledArgs<K extends SettingKey> = { readonly [P in K]: Settings[P] };

/** The table without yargs defaults (the resolver applies them after the config file); `--help` still shows them. */
function withoutDefaults(options: Readonly<Record<string, Options>>): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const [key, option] of Object.entries(options)) {
    const { default: value, ...rest } = option;
    out[key] = value === undefined || rest.defaultDescription !== undefined ? rest : { ...rest, defaultDescription: typeof value === 'string' ? `"${value}"` : JSON.stringify(value) };
  }
  return out;
}

const camel = (key: string): string => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

interface YargsInternals {
  getOptions(): { readonly array: readonly string[]; readonly key: Readonly<Record<string, unknown>> };
}

/**
 * A repeated scalar flag is a usage error (`--wallet a --wallet b`: yargs would pass an array where one
 * value is expected). Array flags (declared `array: true`, e.g. `subnet list --mechanism`) stay repeatable;
 * a repeated boolean flag is the same flag (yargs keeps one value).
 * @throws CliError `UsageError`
 */
export function rejectRepeatedFlags(argv: Readonly<Record<string, unknown>>, yargs: YargsInternals | undefined): void {
  const declared = yargs?.getOptions();
  if (declared === undefined) return;
  const arrays = new Set(declared.array);
  for (const key of Object.keys(declared.key)) {
    const value = argv[key];
    if (!Array.isArray(value) || arrays.has(key)) continue;
    const flag = key.length === 1 ? `-${key}` : `--${key}`;
    throw new CliError('UsageError', `${flag} was given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}): give it once`);
  }
}

/** `rejectRepeatedFlags` as a yargs middleware (before validation), for `getCli`. */
export const repeatedFlagsMiddleware = ((argv: Record<string, unknown>, yargs?: YargsInternals) => rejectRepeatedFlags(argv, yargs)) as unknown as MiddlewareFunction;

/**
 * The builder step of a command that takes shared settings: declares their flags, `--config-file` and
 * (without their yargs defaults) the command's own section flags, then resolves every value before
 * validation. The handler's `argv` holds the resolved values (flag > env > config file > default).
 */
export function withSettings<T, K extends SettingKey, O extends Record<string, Options> = Record<never, Options>>(
  y: Argv<T>,
  io: CliIo,
  spec: SettingsSpec<K, O>,
): Argv<Omit<T, K | keyof O | 'config-file'> & SettledArgs<K> & InferredOptionTypes<O> & { readonly 'config-file'?: string }> {
  const section: SectionSpec | undefined = spec.section === undefined ? undefined : { name: spec.section.name, options: spec.section.options };
  const resolveArgv = (argv: Record<string, unknown>, yargs?: YargsInternals): void => {
    if (argv['help'] === true || argv['version'] === true) return;
    rejectRepeatedFlags(argv, yargs);
    const env: Env = io.env ?? process.env;
    const resolved = resolveSettings({ keys: spec.keys, flags: argv, env, home: env['HOME'] ?? homedir(), ...(section === undefined ? {} : { section }) });
    const values: Record<string, unknown> = { ...resolved.commandValues, ...resolved.settings };
    for (const [key, value] of Object.entries(values)) {
      argv[key] = value;
      argv[camel(key)] = value;
    }
  };
  const withFlags = y
    .options(settingOptions(spec.keys, spec.describe))
    .options(CONFIG_FILE_OPTION)
    .options(section === undefined ? {} : withoutDefaults(section.options));
  // The third argument (global: false) is yargs' own, missing from its typings: the step belongs to this command only.
  const middleware = withFlags.middleware as unknown as (callback: MiddlewareFunction, applyBeforeValidation: boolean, global: boolean) => Argv;
  middleware.call(withFlags, resolveArgv as unknown as MiddlewareFunction, true, false);
  // yargs infers the section flags without their defaults; the resolver has set them by the time the handler runs.
  return withFlags as unknown as Argv<Omit<T, K | keyof O | 'config-file'> & SettledArgs<K> & InferredOptionTypes<O> & { readonly 'config-file'?: string }>;
}
