/** The economy simulation behind `tensornet simulate economy`: config, chain run, CSV and SVG. */
export { parseEconomyConfig, economyConfigSchema, EconomyConfigError, MAX_EPOCHS, type EconomyConfig } from './config';
export { simulateEconomy, SIMULATOR_SUDO_URI, SIMULATOR_SUDO_BALANCE, type EconomyRow, type EconomyResult, type SimulateOptions } from './economy';
export { economyCsv, economyCsvHeader, emissionShare } from './csv';
export { economySvg, escapeXml } from './svg';
