/**
 * The shared settings of the `tensornet` commands: one zod schema (`schema.ts`) from which the flags,
 * the `TENSORNET_*` variables and the config file's keys are derived; the resolver (flag > variable >
 * config file > default); and the builder step commands use (`withSettings`).
 */
export { CONFIG_ENV, envName, isSettingKey, NETWORK_NAMES, networkProblem, SETTING_DEFAULTS, SETTING_KEYS, settingField, settingsSchema, type SettingKey, type Settings } from './schema';
export { CONFIG_SECTIONS, configFilePath, readConfigFile, resolveSettings, type ConfigFileInfo, type ConfigSection, type Env, type ResolvedSettings, type ResolveInput, type SectionSpec, type SettingSource } from './resolve';
export { CONFIG_FILE_OPTION, rejectRepeatedFlags, repeatedFlagsMiddleware, SETTING_OPTIONS, settingOptions, withSettings, type SettingOptions, type SettingsSpec, type SettledArgs } from './options';
