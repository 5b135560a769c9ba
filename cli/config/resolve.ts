/**
 * Where each setting's value comes from: flag > `TENSORNET_*` variable > config file (the command's
 * section, then the top level) > default. Every value is checked by the settings schema where it is
 * found, so a bad one is reported as one line naming its source. Pure apart from reading the config file.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { Options } from 'yargs';
import { z } from 'zod';
import { CliError } from '../errors';
import { CONFIG_ENV, envName, isSettingKey, SETTING_DEFAULTS, SETTING_KEYS, settingField, settingsSchema, type SettingKey, type Settings } from './schema';

export type Env = Readonly<Record<string, string | undefined>>;

/** The config file's sections: the commands whose own flags (beside the shared settings) it may set. */
export const CONFIG_SECTIONS = ['miner', 'validator'] as const;
export type ConfigSection = (typeof CONFIG_SECTIONS)[number];

/** A command's own flags that its config section may set. */
export interface SectionSpec {
  readonly name: ConfigSection;
  /** The command's yargs option table (its defaults are the values used when nothing sets one). */
  readonly options: Readonly<Record<string, Options>>;
}

/** Where a value came from, as the error lines and `tensornet config show` name it. */
export type SettingSource =
  | { readonly kind: 'flag'; readonly label: string }
  | { readonly kind: 'env'; readonly label: string }
  | { readonly kind: 'file'; readonly label: string }
  | { readonly kind: 'default'; readonly label: 'default' }
  | { readonly kind: 'unset'; readonly label: 'unset' };

export interface ConfigFileInfo {
  /** Absolute path. */
  readonly path: string;
  /** As shown in messages (`~/…` under the home folder). */
  readonly shown: string;
  /** Who named it: `--config-file`, `TENSORNET_CONFIG`, or the default path. */
  readonly origin: 'flag' | 'env' | 'default';
  /** Whether it exists (and so was read). */
  readonly found: boolean;
}

export interface ResolveInput {
  /** The settings the command takes. */
  readonly keys: readonly SettingKey[];
  /** The parsed flags (yargs' argv: a flag not given is absent or undefined). */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: Env;
  /** The home folder holding `.tensornet/config.json`. @default env.HOME, else os.homedir() */
  readonly home?: string;
  readonly section?: SectionSpec;
}

export interface ResolvedSettings {
  /** The values of `keys` (a setting without a default and set nowhere is absent). */
  readonly settings: Readonly<Partial<Settings>>;
  readonly sources: Readonly<Partial<Record<SettingKey, SettingSource>>>;
  /** The section's values for the command's own flags that were not given on the command line, defaults included. */
  readonly commandValues: Readonly<Record<string, unknown>>;
  readonly configFile: ConfigFileInfo;
}

function invalid(message: string): CliError {
  return new CliError('ConfigInvalid', message);
}

const show = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));

/** `value` checked by `schema`; a failure is one line `<where>: <message> (got <value>)`. */
function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length > 0 ? `[${issue.path.join('.')}]` : '';
  // A custom issue (the network check) names the value itself.
  throw invalid(`${where}${path}: ${issue.message}${issue.code === 'custom' ? '' : ` (got ${show(value)})`}`);
}

/** A variable's text as the setting's type: booleans accept true/false, 1/0, yes/no, on/off. */
function fromEnv(key: SettingKey, text: string): unknown {
  if (SETTING_DEFAULTS[key] === undefined || typeof SETTING_DEFAULTS[key] !== 'boolean') return text;
  const lower = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return text;
}

/** A section's schema for one of the command's own flags, from its yargs option. */
function optionSchema(option: Options): z.ZodType {
  const choices = option.choices as readonly unknown[] | undefined;
  if (choices !== undefined) {
    const error = `expected one of ${choices.map(String).join(', ')}`;
    const strings = choices.filter((c): c is string => typeof c === 'string');
    if (strings.length === choices.length && strings.length > 0) return z.enum(strings as [string, ...string[]], { error });
    return z.unknown().refine((v) => choices.includes(v), { message: error });
  }
  if (option.array === true || option.type === 'array') return z.array(z.string({ error: 'expected a string' }), { error: 'expected an array of strings' });
  switch (option.type) {
    case 'number':
      return z.number({ error: 'expected a number' });
    case 'boolean':
      return z.boolean({ error: 'expected true or false' });
    case 'string':
      return z.string({ error: 'expected a string' });
    default:
      return z.unknown();
  }
}

/** The path shown in messages: `~/…` under the home folder. */
function shownPath(path: string, home: string): string {
  return path === home || path.startsWith(`${home}${sep}`) ? `~${path.slice(home.length)}` : path;
}

/** Which config file applies: `--config-file`, else `$TENSORNET_CONFIG`, else `~/.tensornet/config.json`. */
export function configFilePath(flags: Readonly<Record<string, unknown>>, env: Env, home: string): Omit<ConfigFileInfo, 'found'> {
  const flag = flags['config-file'];
  if (typeof flag === 'string' && flag !== '') return { path: resolve(flag), shown: flag, origin: 'flag' };
  const fromVar = env[CONFIG_ENV];
  if (fromVar !== undefined && fromVar !== '') return { path: resolve(fromVar), shown: fromVar, origin: 'env' };
  const path = join(home, '.tensornet', 'config.json');
  return { path, shown: shownPath(path, home), origin: 'default' };
}

type Doc = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The config file as an object, its keys known and its shared settings checked; null when the default
 * file does not exist. A file named by `--config-file` or `TENSORNET_CONFIG` must exist.
 * @throws CliError `ConfigInvalid`
 */
export function readConfigFile(where: Omit<ConfigFileInfo, 'found'>): Doc | null {
  const name = `config file ${where.shown}`;
  const origin = where.origin === 'flag' ? ' (--config-file)' : where.origin === 'env' ? ` (${CONFIG_ENV})` : '';
  let text: string;
  try {
    text = readFileSync(where.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && where.origin === 'default') return null;
    throw invalid(`${name}${origin}: cannot read it (${code ?? (err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    throw invalid(`${name}: not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw invalid(`${name}: expected a JSON object of settings (see tensornet config show --help)`);
  for (const [key, value] of Object.entries(doc)) {
    if (isSettingKey(key)) {
      check(settingField(key).schema, value, `${name}: ${key}`);
    } else if ((CONFIG_SECTIONS as readonly string[]).includes(key)) {
      if (!isObject(value)) throw invalid(`${name}: ${key}: expected an object of ${key} flags (got ${show(value)})`);
      for (const [inner, innerValue] of Object.entries(value)) {
        if (isSettingKey(inner)) check(settingField(inner).schema, innerValue, `${name}: ${key}.${inner}`);
      }
    } else {
      throw invalid(`${name}: unknown key "${key}" (settings: ${SETTING_KEYS.join(', ')}; sections: ${CONFIG_SECTIONS.join(', ')})`);
    }
  }
  return doc;
}

/**
 * Resolves the command's settings and its section's flags.
 * @throws CliError `ConfigInvalid` naming the source of a bad value
 */
export function resolveSettings(input: ResolveInput): ResolvedSettings {
  const home = input.home ?? input.env['HOME'] ?? homedir();
  const where = configFilePath(input.flags, input.env, home);
  const doc = readConfigFile(where);
  const fileName = `config file ${where.shown}`;
  const sectionDoc: Doc = input.section !== undefined && doc !== null && isObject(doc[input.section.name]) ? (doc[input.section.name] as Doc) : {};

  const settings: Partial<Record<SettingKey, unknown>> = {};
  const sources: Partial<Record<SettingKey, SettingSource>> = {};
  for (const key of input.keys) {
    const { schema } = settingField(key);
    const flag = input.flags[key];
    const fromVar = input.env[envName(key)];
    let value: unknown;
    let source: SettingSource;
    if (flag !== undefined) {
      source = { kind: 'flag', label: `--${key}` };
      value = check(schema, flag, source.label);
    } else if (fromVar !== undefined && fromVar !== '') {
      source = { kind: 'env', label: envName(key) };
      value = check(schema, fromEnv(key, fromVar), source.label);
    } else if (input.section !== undefined && sectionDoc[key] !== undefined) {
      source = { kind: 'file', label: `${fileName}: ${input.section.name}.${key}` };
      value = sectionDoc[key]; // checked by readConfigFile
    } else if (doc !== null && doc[key] !== undefined) {
      source = { kind: 'file', label: `${fileName}: ${key}` };
      value = doc[key];
    } else if (SETTING_DEFAULTS[key] !== undefined) {
      source = { kind: 'default', label: 'default' };
      value = SETTING_DEFAULTS[key];
    } else {
      sources[key] = { kind: 'unset', label: 'unset' };
      continue;
    }
    settings[key] = value;
    sources[key] = source;
  }

  const commandValues: Record<string, unknown> = {};
  if (input.section !== undefined) {
    const { name, options } = input.section;
    for (const [key, value] of Object.entries(sectionDoc)) {
      if (isSettingKey(key)) continue;
      const option = options[key];
      if (option === undefined) throw invalid(`${fileName}: ${name}: unknown key "${key}" (tensornet ${name} --help lists its flags)`);
      const checked = check(optionSchema(option), value, `${fileName}: ${name}.${key}`);
      if (input.flags[key] === undefined) commandValues[key] = checked;
    }
    for (const [key, option] of Object.entries(options)) {
      if (isSettingKey(key) || input.flags[key] !== undefined || key in commandValues) continue;
      if (option.default !== undefined) commandValues[key] = option.default;
    }
  }

  // Each value was checked where it was found; the merged whole goes through the same schema.
  const mask: Partial<Record<SettingKey, true>> = Object.fromEntries(input.keys.map((key) => [key, true]));
  const merged: Partial<Settings> = settingsSchema.pick(mask).parse(settings);
  return {
    settings: merged,
    sources,
    commandValues,
    configFile: { ...where, found: doc !== null },
  };
}
