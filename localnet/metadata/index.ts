/**
 * The runtime metadata localnet serves: subtensor `node-subtensor` spec 219 (finney, pre-dTAO),
 * metadata V14, loaded once from `subtensor-spec219-finney.scale` next to this module. Besides the
 * @polkadot/types registry it gives the indexes the runtime needs to build events and errors, plain
 * descriptions of storage entries, and the compiled SCALE codecs (`localnet/scale`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { ExtDef } from '@polkadot/types/extrinsic/signedExtensions/types';
import { TensornetError } from '../../common/errors';
import { ScaleCodecs, portableTypeSource } from '../scale';
import type { ScaleVariant } from '../scale';

/** The metadata file served by localnet. */
export const METADATA_FILE = 'subtensor-spec219-finney.scale';

/**
 * The subtensor runtime's own signed extensions, declared to @polkadot/types as carrying no
 * extrinsic or payload data (which is what the runtime encodes for them). Passing this as
 * `signedExtensions` to `ApiPromise.create` silences the "Unknown signed extensions" warning
 * without changing any encoding.
 */
export const SUBTENSOR_SIGNED_EXTENSIONS: ExtDef = {
  SubtensorSignedExtension: { extrinsic: {}, payload: {} },
  CommitmentsSignedExtension: { extrinsic: {}, payload: {} },
};

/**
 * - `MetadataFileNotFound`: the `.scale` file is neither next to the module nor in the repository.
 * - `UnexpectedSpec`: the metadata's `System.Version` is not node-subtensor spec 219, transaction version 1.
 * - `UnknownPallet` / `UnknownCall` / `UnknownEvent` / `UnknownError` / `UnknownStorage` / `UnknownType`:
 *   a name that the metadata does not define.
 */
export type MetadataErrorCode =
  | 'MetadataFileNotFound'
  | 'UnexpectedSpec'
  | 'UnknownPallet'
  | 'UnknownCall'
  | 'UnknownEvent'
  | 'UnknownError'
  | 'UnknownStorage'
  | 'UnknownType';

/** A lookup of a name the metadata does not define (or a missing metadata file). */
export class MetadataError extends TensornetError<MetadataErrorCode> {}

/** A pallet of the runtime and its index (the first byte of its calls, events and errors). */
export interface PalletInfo {
  readonly name: string;
  readonly index: number;
}

/** Storage key hashers of FRAME. */
export type StorageHasherName = 'Blake2_128' | 'Blake2_256' | 'Blake2_128Concat' | 'Twox128' | 'Twox256' | 'Twox64Concat' | 'Identity';

/** One storage item as metadata describes it, in plain data. */
export interface StorageEntryInfo {
  readonly pallet: string;
  /** The storage prefix of the pallet (the pallet name). */
  readonly prefix: string;
  readonly name: string;
  /** `Default`: absent keys read as `fallback`; `Optional`: absent keys read as None. */
  readonly modifier: 'Default' | 'Optional';
  /** One hasher per map key; empty for a plain value. */
  readonly hashers: readonly StorageHasherName[];
  /** The type id of each map key, parallel to `hashers`. */
  readonly keyTypeIds: readonly number[];
  readonly valueTypeId: number;
  /** SCALE bytes of the default: of the value type (`Default`) or of `Option<value>` None (`Optional`). */
  readonly fallback: Uint8Array;
  readonly docs: readonly string[];
}

/** A `DispatchError::Module` payload: the pallet index and the 4-byte error (variant index, then zeros). */
export interface ModuleErrorIndex {
  readonly index: number;
  readonly error: Uint8Array;
}

/**
 * The runtime's `sp_version::RuntimeVersion`, from the `System.Version` constant (the shape of
 * `Core_version` / `state_getRuntimeVersion`; `apis` are `[blake2_64(api name), version]`).
 */
export interface RuntimeVersionInfo {
  readonly specName: string;
  readonly implName: string;
  readonly authoringVersion: number;
  readonly specVersion: number;
  readonly implVersion: number;
  readonly apis: ReadonlyArray<readonly [`0x${string}`, number]>;
  readonly transactionVersion: number;
  readonly stateVersion: number;
}

/** The loaded runtime metadata and name→index helpers over it. */
export interface RuntimeMetadata {
  /** A registry with this metadata set (and the subtensor signed extensions declared). */
  readonly registry: TypeRegistry;
  readonly metadata: Metadata;
  /** The raw metadata (`meta` magic, version 14, then the V14 body), as `state_getMetadata` returns it. */
  readonly bytes: Uint8Array;
  readonly specName: 'node-subtensor';
  readonly specVersion: 219;
  readonly transactionVersion: 1;
  /** The full runtime version, as the `System.Version` constant declares it. */
  readonly runtimeVersion: RuntimeVersionInfo;
  /** The pallets in metadata order. */
  readonly pallets: readonly PalletInfo[];
  /** Compiled SCALE codecs over the metadata's type registry. */
  readonly codecs: ScaleCodecs;
  /** Type id of `RuntimeCall` (the extrinsic's call type). */
  readonly callTypeId: number;
  /** Type id of `RuntimeEvent` (the `event` field of `frame_system::EventRecord`). */
  readonly eventTypeId: number;
  /** Type id of `frame_system::EventRecord` (the element of `System.Events`). */
  readonly eventRecordTypeId: number;
  /** Index of a pallet by name (`'SubtensorModule'` → 7). */
  palletIndex(pallet: string): number;
  /** `[pallet index, call index]` of a call by its metadata name (`('SubtensorModule', 'set_weights')`). */
  callIndex(pallet: string, call: string): readonly [number, number];
  /** `[pallet index, event index]` of an event (`('SubtensorModule', 'WeightsSet')`). */
  eventIndex(pallet: string, event: string): readonly [number, number];
  /** The `DispatchError::Module` payload of a pallet error (`('SubtensorModule', 'NotRegistered')`). */
  moduleErrorIndex(pallet: string, error: string): ModuleErrorIndex;
  /** The storage entry `pallet.item` (`('SubtensorModule', 'Tempo')`). */
  storageEntry(pallet: string, item: string): StorageEntryInfo;
  /** The first type id whose Rust path is `path` (`'pallet_subtensor::pallet::Error'`). */
  typeIdByPath(path: string): number;
}

let cached: RuntimeMetadata | undefined;

/** The spec-219 runtime metadata, loaded and indexed on first call (about 120 ms), then shared. */
export function loadRuntimeMetadata(): RuntimeMetadata {
  cached ??= buildRuntimeMetadata(readMetadataFile(METADATA_FILE));
  return cached;
}

/**
 * Read a metadata file of this folder. Looks next to this module first (the TypeScript sources),
 * then in `localnet/metadata/` of the repository (for the compiled `dist/localnet/metadata/`,
 * where the build copies no data files).
 */
export function readMetadataFile(file: string): Uint8Array {
  const candidates = [join(__dirname, file), join(__dirname, '..', '..', '..', 'localnet', 'metadata', file)];
  for (const candidate of candidates) {
    if (existsSync(candidate)) return new Uint8Array(readFileSync(candidate));
  }
  throw new MetadataError('MetadataFileNotFound', `metadata file ${file} not found`, { candidates });
}

interface PalletRecord {
  readonly info: PalletInfo;
  readonly callsTypeId: number | null;
  readonly eventsTypeId: number | null;
  readonly errorsTypeId: number | null;
  readonly storage: ReadonlyMap<string, StorageEntryInfo>;
}

/**
 * Build a {@link RuntimeMetadata} from raw metadata bytes (a fresh registry; prefer
 * {@link loadRuntimeMetadata}). Throws `MetadataError` (`UnexpectedSpec`) unless the metadata's
 * `System.Version` is node-subtensor spec 219, transaction version 1.
 */
export function buildRuntimeMetadata(bytes: Uint8Array): RuntimeMetadata {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata, undefined, SUBTENSOR_SIGNED_EXTENSIONS);
  const latest = metadata.asLatest;
  const codecs = new ScaleCodecs(portableTypeSource(latest.lookup));

  const pallets = new Map<string, PalletRecord>();
  for (const p of latest.pallets) {
    const name = p.name.toString();
    const storage = new Map<string, StorageEntryInfo>();
    if (p.storage.isSome) {
      const s = p.storage.unwrap();
      const prefix = s.prefix.toString();
      for (const e of s.items) {
        const entryName = e.name.toString();
        let hashers: StorageHasherName[] = [];
        let keyTypeIds: number[] = [];
        let valueTypeId: number;
        if (e.type.isPlain) {
          valueTypeId = e.type.asPlain.toNumber();
        } else {
          const m = e.type.asMap;
          hashers = m.hashers.map((h) => h.type as StorageHasherName);
          valueTypeId = m.value.toNumber();
          const keyId = m.key.toNumber();
          if (hashers.length === 1) {
            keyTypeIds = [keyId];
          } else {
            const keyDef = codecs.type(keyId).def;
            if (keyDef.kind !== 'tuple' || keyDef.types.length !== hashers.length) {
              throw new Error(`storage ${name}.${entryName}: ${hashers.length} hashers but key type #${keyId} is not a tuple of that size`);
            }
            keyTypeIds = [...keyDef.types];
          }
        }
        storage.set(entryName, {
          pallet: name,
          prefix,
          name: entryName,
          modifier: e.modifier.isOptional ? 'Optional' : 'Default',
          hashers,
          keyTypeIds,
          valueTypeId,
          fallback: e.fallback.toU8a(true),
          docs: e.docs.map((d) => d.toString()),
        });
      }
    }
    pallets.set(name, {
      info: { name, index: p.index.toNumber() },
      callsTypeId: p.calls.isSome ? p.calls.unwrap().type.toNumber() : null,
      eventsTypeId: p.events.isSome ? p.events.unwrap().type.toNumber() : null,
      errorsTypeId: p.errors.isSome ? p.errors.unwrap().type.toNumber() : null,
      storage,
    });
  }

  const pallet = (name: string): PalletRecord => {
    const rec = pallets.get(name);
    if (!rec) throw new MetadataError('UnknownPallet', `unknown pallet ${name}`, { pallet: name });
    return rec;
  };

  const variantCache = new Map<number, ReadonlyMap<string, ScaleVariant>>();
  const variantIndex = (typeId: number | null, pallet: string, name: string, code: 'UnknownCall' | 'UnknownEvent' | 'UnknownError'): number => {
    let variants = typeId === null ? undefined : variantCache.get(typeId);
    if (!variants && typeId !== null) {
      const def = codecs.type(typeId).def;
      variants = new Map(def.kind === 'variant' ? def.variants.map((v) => [v.name, v]) : []);
      variantCache.set(typeId, variants);
    }
    const v = variants?.get(name);
    if (!v) {
      const what = code === 'UnknownCall' ? 'call' : code === 'UnknownEvent' ? 'event' : 'error';
      throw new MetadataError(code, `pallet ${pallet} has no ${what} ${name}`, { pallet, name });
    }
    return v.index;
  };

  const typesByPath = new Map<string, number>();
  for (const t of latest.lookup.types) {
    const path = t.type.path.map((s) => s.toString()).join('::');
    if (path && !typesByPath.has(path)) typesByPath.set(path, t.id.toNumber());
  }
  const typeIdByPath = (path: string): number => {
    const id = typesByPath.get(path);
    if (id === undefined) throw new MetadataError('UnknownType', `no type with path ${path}`, { path });
    return id;
  };

  const runtimeVersion = decodeRuntimeVersion(latest, codecs);
  if (runtimeVersion.specName !== 'node-subtensor' || runtimeVersion.specVersion !== 219 || runtimeVersion.transactionVersion !== 1) {
    throw new MetadataError(
      'UnexpectedSpec',
      `expected node-subtensor spec 219 (transaction version 1), the metadata declares ${runtimeVersion.specName} ${runtimeVersion.specVersion} (transaction version ${runtimeVersion.transactionVersion})`,
      { runtimeVersion },
    );
  }

  const callTypeId = latest.extrinsic.callType.toNumber();
  const eventsDef = codecs.type(pallet('System').storage.get('Events')!.valueTypeId).def;
  const eventsElem = eventsDef.kind === 'sequence' ? codecs.type(eventsDef.type) : undefined;
  const eventField = eventsElem?.def.kind === 'composite' ? eventsElem.def.fields.find((f) => f.name === 'event') : undefined;
  if (!eventsElem || !eventField) throw new Error('System.Events is not a Vec<EventRecord { event, .. }>');

  return {
    registry,
    metadata,
    bytes,
    specName: 'node-subtensor',
    specVersion: 219,
    transactionVersion: 1,
    runtimeVersion,
    pallets: [...pallets.values()].map((p) => p.info),
    codecs,
    callTypeId,
    eventTypeId: eventField.type,
    eventRecordTypeId: eventsElem.id,
    palletIndex: (name) => pallet(name).info.index,
    callIndex: (p, call) => {
      const rec = pallet(p);
      return [rec.info.index, variantIndex(rec.callsTypeId, p, call, 'UnknownCall')] as const;
    },
    eventIndex: (p, event) => {
      const rec = pallet(p);
      return [rec.info.index, variantIndex(rec.eventsTypeId, p, event, 'UnknownEvent')] as const;
    },
    moduleErrorIndex: (p, error) => {
      const rec = pallet(p);
      const index = variantIndex(rec.errorsTypeId, p, error, 'UnknownError');
      return { index: rec.info.index, error: new Uint8Array([index, 0, 0, 0]) };
    },
    storageEntry: (p, item) => {
      const entry = pallet(p).storage.get(item);
      if (!entry) throw new MetadataError('UnknownStorage', `pallet ${p} has no storage item ${item}`, { pallet: p, item });
      return entry;
    },
    typeIdByPath,
  };
}

interface RawRuntimeVersion {
  readonly spec_name: string;
  readonly impl_name: string;
  readonly authoring_version: number;
  readonly spec_version: number;
  readonly impl_version: number;
  readonly apis: ReadonlyArray<readonly [`0x${string}`, number]>;
  readonly transaction_version: number;
  readonly state_version: number;
}

/** Decode the `System.Version` constant. */
function decodeRuntimeVersion(latest: Metadata['asLatest'], codecs: ScaleCodecs): RuntimeVersionInfo {
  const system = latest.pallets.find((p) => p.name.toString() === 'System');
  const constant = system?.constants.find((c) => c.name.toString() === 'Version');
  if (!constant) throw new MetadataError('UnexpectedSpec', 'the metadata has no System.Version constant');
  const v = codecs.codecFor<RawRuntimeVersion>(constant.type.toNumber()).decodeAll(constant.value.toU8a(true));
  return {
    specName: v.spec_name,
    implName: v.impl_name,
    authoringVersion: v.authoring_version,
    specVersion: v.spec_version,
    implVersion: v.impl_version,
    apis: v.apis,
    transactionVersion: v.transaction_version,
    stateVersion: v.state_version,
  };
}
