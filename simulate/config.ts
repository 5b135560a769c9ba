/**
 * The economy simulation config (`tensornet simulate economy --config FILE`): one zod schema is the
 * single source of truth for the file format; the parsed config is frozen.
 */
import { z } from 'zod';
import { TensornetError } from '../common/errors';
import { GENESIS_HYPERPARAMETERS } from '../localnet';

/** A config file that does not match the schema, or names inconsistent things. */
export class EconomyConfigError extends TensornetError<'InvalidEconomyConfig'> {}

/** At most this many epochs per run (a guard against typos; 100 000 epochs of tempo 9 = 1M blocks). */
export const MAX_EPOCHS = 100_000;

const u64 = z
  .union([z.string().regex(/^\d+$/, 'must be a decimal integer string'), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform((v) => BigInt(v))
  .refine((v) => v < 1n << 64n, 'must fit in u64');
const u16 = z.number().int().min(0).max(65535);
const account = z.string().min(1, 'must name an account (SS58, 0x id or //URI)');
/** Sparse weights `[[target, u16], …]`: targets are uids on a subnet, netuids on root. */
const sparseRow = z.array(z.tuple([u16, u16]));
const scalar = z.union([z.number(), z.string(), z.boolean()]);

const neuron = z
  .object({
    hotkey: account,
    coldkey: account,
    /** Stake of the coldkey on the hotkey, rao. */
    stake: u64.default(0n),
    /** This neuron's weights on the subnet's uids (as stored on chain). */
    weights: sparseRow.default([]),
  })
  .strict();

const subnet = z
  .object({
    netuid: z.number().int().min(1).max(65535),
    owner: account,
    /** Blocks per subnet epoch − 1. */
    tempo: z.number().int().min(1).max(65535).default(99),
    hyperparameters: z.partialRecord(z.enum(GENESIS_HYPERPARAMETERS), scalar).default({}),
    neurons: z.array(neuron).min(1, 'a subnet needs at least one neuron'),
  })
  .strict();

const rootValidator = z
  .object({
    hotkey: account,
    coldkey: account,
    /** Extra stake of the coldkey on the hotkey, rao (on top of any stake the hotkey has as a subnet neuron). */
    stake: u64.default(0n),
    /** Weights over netuids `[[netuid, u16], …]` (netuid 0 allowed). */
    weights: sparseRow.default([]),
  })
  .strict();

const nominator = z.object({ coldkey: account, hotkey: account, stake: u64 }).strict();

export const economyConfigSchema = z
  .object({
    /** Root epochs to simulate (each `rootTempo + 1` blocks); `--epochs` overrides it. */
    epochs: z.number().int().min(1).max(MAX_EPOCHS).default(10),
    /** `Tempo[0]`: the root epoch runs every `rootTempo + 1` blocks. */
    rootTempo: z.number().int().min(1).max(65535).default(99),
    /** `Rho[0]`, the root sigmoid's steepness. */
    rootRho: u16.default(10),
    /** `Kappa[0]`, the root sigmoid's midpoint (u16 proportion). */
    rootKappa: u16.default(32767),
    /** `SubnetOwnerCut` (u16 proportion of 65535). */
    subnetOwnerCut: u16.default(11796),
    /** `HotkeyEmissionTempo`: hotkeys pay their nominators every this + 1 blocks. */
    hotkeyEmissionTempo: u64.default(100n),
    /** `TotalIssuance` at genesis, rao (e.g. near a halving threshold); default: what the genesis mints. */
    issuance: u64.optional(),
    subnets: z.array(subnet).min(1, 'at least one subnet'),
    root: z.array(rootValidator).min(1, 'at least one root validator'),
    nominators: z.array(nominator).default([]),
  })
  .strict();

/** A parsed, validated economy config (amounts as bigint). */
export type EconomyConfig = z.infer<typeof economyConfigSchema>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates a parsed JSON document as an economy config; throws {@link EconomyConfigError} naming the
 * first problem (`subnets.0.neurons.1.stake: …`). Cross-checks: unique netuids, unique hotkeys per
 * subnet and on root, subnet weights name existing uids, root weights name configured netuids (or 0).
 */
export function parseEconomyConfig(doc: unknown): EconomyConfig {
  const result = economyConfigSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EconomyConfigError('InvalidEconomyConfig', `config ${issue.path.join('.') || '(root)'}: ${issue.message}`, { path: issue.path.join('.') });
  }
  const config = result.data;
  const fail = (path: string, message: string): never => {
    throw new EconomyConfigError('InvalidEconomyConfig', `config ${path}: ${message}`, { path });
  };
  const netuids = new Set<number>();
  config.subnets.forEach((s, i) => {
    if (netuids.has(s.netuid)) fail(`subnets.${i}.netuid`, `netuid ${s.netuid} appears twice`);
    netuids.add(s.netuid);
    const hotkeys = new Set<string>();
    s.neurons.forEach((n, u) => {
      if (hotkeys.has(n.hotkey)) fail(`subnets.${i}.neurons.${u}.hotkey`, `hotkey ${n.hotkey} registered twice on subnet ${s.netuid}`);
      hotkeys.add(n.hotkey);
      checkRow(n.weights, (uid) => uid < s.neurons.length, `subnets.${i}.neurons.${u}.weights`, (uid) => `uid ${uid} out of range (the subnet has ${s.neurons.length} neurons)`, fail);
    });
  });
  const rootHotkeys = new Set<string>();
  config.root.forEach((r, i) => {
    if (rootHotkeys.has(r.hotkey)) fail(`root.${i}.hotkey`, `hotkey ${r.hotkey} appears twice on root`);
    rootHotkeys.add(r.hotkey);
    checkRow(r.weights, (netuid) => netuid === 0 || netuids.has(netuid), `root.${i}.weights`, (netuid) => `netuid ${netuid} is not a configured subnet`, fail);
  });
  return deepFreeze(config);
}

function checkRow(row: ReadonlyArray<readonly [number, number]>, ok: (target: number) => boolean, path: string, why: (target: number) => string, fail: (path: string, message: string) => never): void {
  const seen = new Set<number>();
  row.forEach(([target], j) => {
    if (!ok(target)) fail(`${path}.${j}`, why(target));
    if (seen.has(target)) fail(`${path}.${j}`, `target ${target} appears twice in the row`);
    seen.add(target);
  });
}
