/**
 * Subnets: the mechanism SDK (`sdk/`) and the built-in mechanisms, `digits` and `ocr`. A mechanism is found
 * by name among the built-ins or loaded from a module path that exports a subnet made by `defineSubnet`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHandlerRegistry, type HandlerRegistry } from '../miner/handlers';
import { digitsSubnet } from './digits';
import { ocrSubnet } from './ocr';
import { isSubnet, minerHandlerOf, SubnetError, type AnySubnet } from './sdk';

export * from './sdk';

/** The mechanisms tensornet ships, by name. */
export const BUILTIN_SUBNETS: ReadonlyMap<string, AnySubnet> = new Map<string, AnySubnet>([
  [digitsSubnet.name, digitsSubnet],
  [ocrSubnet.name, ocrSubnet],
]);

/**
 * A mechanism by built-in name, or from a module (a `.js`/`.ts` file or a folder with an index) whose
 * default export or `subnet` export is a `defineSubnet` value.
 * @throws SubnetError `UnknownMechanism`, `InvalidMechanismModule`
 */
export function loadMechanism(nameOrPath: string): AnySubnet {
  const builtin = BUILTIN_SUBNETS.get(nameOrPath);
  if (builtin !== undefined) return builtin;
  const path = resolve(nameOrPath);
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.startsWith('.');
  if (!looksLikePath || !existsSync(path)) {
    throw new SubnetError('UnknownMechanism', `no mechanism "${nameOrPath}": built in are ${[...BUILTIN_SUBNETS.keys()].join(', ')}; or give the path of a module that exports one`, { mechanism: nameOrPath });
  }
  let loaded: unknown;
  try {
    loaded = require(path) as unknown;
  } catch (err) {
    throw new SubnetError('InvalidMechanismModule', `${path} could not be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { path }, { cause: err });
  }
  // Not named `exports`: compiled to CommonJS, this module's own exports (BUILTIN_SUBNETS above) are read through `exports`.
  const moduleExports = loaded as { default?: unknown; subnet?: unknown };
  const candidate = isSubnet(moduleExports.default) ? moduleExports.default : isSubnet(moduleExports.subnet) ? moduleExports.subnet : isSubnet(loaded) ? loaded : undefined;
  if (candidate === undefined) throw new SubnetError('InvalidMechanismModule', `${path} exports no subnet made by defineSubnet (as its default export or as \`subnet\`)`, { path });
  return candidate;
}

/** The miner handlers of the built-in handlers (`tensor`) and of the built-in subnets. */
export function createMinerRegistry(extra: readonly AnySubnet[] = []): HandlerRegistry {
  const registry = createHandlerRegistry();
  for (const subnet of [...BUILTIN_SUBNETS.values(), ...extra]) registry.register(minerHandlerOf(subnet));
  return registry;
}
