/** The spec-219 runtime metadata: loading, name → index helpers, signed extensions. */
import { stringCamelCase, u8aToHex } from '@polkadot/util';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { GenericEvent } from '@polkadot/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import { decorateExtrinsics } from '@polkadot/types/metadata/decorate';
import { MetadataError, SUBTENSOR_SIGNED_EXTENSIONS, buildRuntimeMetadata, loadRuntimeMetadata, readMetadataFile } from '../../localnet/metadata';

const meta = loadRuntimeMetadata();
const latest = meta.metadata.asLatest;

function metadataError(fn: () => unknown): MetadataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MetadataError) return e;
    throw e;
  }
  throw new Error('expected a MetadataError');
}

describe('runtime metadata', () => {
  it('default: spec 219 of node-subtensor, loaded once', () => {
    expect(loadRuntimeMetadata()).toBe(meta);
    expect(meta.specName).toBe('node-subtensor');
    expect(meta.specVersion).toBe(219);
    expect(meta.transactionVersion).toBe(1);
    expect(meta.metadata.version).toBe(14);
    expect(u8aToHex(meta.bytes.subarray(0, 5))).toBe('0x6d6574610e'); // 'meta', V14
    expect(meta.pallets.map((p) => p.name)).toEqual(latest.pallets.map((p) => p.name.toString()));
    expect(meta.palletIndex('System')).toBe(0);
    expect(meta.palletIndex('Balances')).toBe(5);
    expect(meta.palletIndex('SubtensorModule')).toBe(7);
    expect(meta.palletIndex('AdminUtils')).toBe(19);
  });

  it('behavior: runtimeVersion is the System.Version constant, as polkadot decodes it', () => {
    const system = latest.pallets.find((p) => p.name.toString() === 'System')!;
    const constant = system.constants.find((c) => c.name.toString() === 'Version')!;
    const pdVersion = meta.registry.createType(meta.registry.createLookupType(constant.type), constant.value.toU8a(true)).toJSON();
    expect(meta.runtimeVersion).toEqual(pdVersion);
    expect(meta.runtimeVersion.specVersion).toBe(219);
    expect(meta.runtimeVersion.apis.length).toBeGreaterThan(10);
  });

  it('error: other specs are refused', () => {
    // the "spec 224" testnet file declares spec_version 233 in System.Version
    expect(metadataError(() => buildRuntimeMetadata(readMetadataFile('subtensor-spec224-testnet.scale'))).code).toBe('UnexpectedSpec');
  });

  it('behavior: callIndex equals the decorated extrinsics of every pallet', () => {
    const tx = decorateExtrinsics(meta.registry, latest, meta.metadata.version) as unknown as Record<
      string,
      Record<string, { callIndex: Uint8Array; meta: { name: { toString(): string } } }>
    >;
    let n = 0;
    for (const p of meta.pallets) {
      for (const fn of Object.values(tx[stringCamelCase(p.name)] ?? {})) {
        expect(meta.callIndex(p.name, fn.meta.name.toString())).toEqual([...fn.callIndex]);
        n++;
      }
    }
    expect(n).toBeGreaterThan(150);
    expect(meta.callIndex('SubtensorModule', 'set_weights')).toEqual([7, 0]);
  });

  it('behavior: eventIndex and moduleErrorIndex resolve back to the same names through the registry', () => {
    const subtensorErrors = latest.pallets.find((p) => p.name.toString() === 'SubtensorModule')!.errors.unwrap().type.toNumber();
    const errDef = meta.codecs.type(subtensorErrors).def;
    if (errDef.kind !== 'variant') throw new Error('errors are an enum');
    const dispatchErrorId = meta.typeIdByPath('sp_runtime::DispatchError');
    for (const v of errDef.variants) {
      const { index, error } = meta.moduleErrorIndex('SubtensorModule', v.name);
      expect(error.length).toBe(4);
      // as a client resolves ExtrinsicFailed: DispatchError::Module { index, error } → findMetaError
      const dispatchError = meta.registry.createType<DispatchError>(meta.registry.createLookupType(dispatchErrorId), {
        Module: { index, error: u8aToHex(error) },
      });
      const found = meta.registry.findMetaError(dispatchError.asModule);
      expect([found.section, found.name]).toEqual(['subtensorModule', v.name]);
    }
    for (const [pallet, event] of [
      ['System', 'ExtrinsicSuccess'],
      ['System', 'ExtrinsicFailed'],
      ['Balances', 'Transfer'],
      ['SubtensorModule', 'WeightsSet'],
      ['SubtensorModule', 'NeuronRegistered'],
    ] as const) {
      // polkadot decodes an event from [pallet, variant] ++ payload (zeros decode for these events)
      const decoded = meta.registry.createType<GenericEvent>('Event', Uint8Array.from([...meta.eventIndex(pallet, event), ...new Uint8Array(128)]));
      expect([decoded.section, decoded.method]).toEqual([stringCamelCase(pallet), event]);
    }
  });

  it('behavior: type ids of the outer enums and the event record', () => {
    expect(meta.codecs.type(meta.callTypeId).path.join('::')).toBe('node_subtensor_runtime::RuntimeCall');
    expect(meta.codecs.type(meta.eventTypeId).path.join('::')).toBe('node_subtensor_runtime::RuntimeEvent');
    expect(meta.codecs.type(meta.eventRecordTypeId).path.join('::')).toBe('frame_system::EventRecord');
    const dispatchError = meta.typeIdByPath('sp_runtime::DispatchError');
    expect(meta.codecs.type(dispatchError).path).toEqual(['sp_runtime', 'DispatchError']);
    expect(meta.registry.createLookupType(dispatchError)).toBe(`Lookup${dispatchError}`);
    expect(meta.registry.lookup.getTypeDef(dispatchError).lookupName).toBe('SpRuntimeDispatchError');
  });

  it('behavior: storage entries in plain data', () => {
    const tempo = meta.storageEntry('SubtensorModule', 'Tempo');
    expect(tempo).toMatchObject({ pallet: 'SubtensorModule', prefix: 'SubtensorModule', name: 'Tempo', modifier: 'Default', hashers: ['Identity'] });
    expect(u8aToHex(tempo.fallback)).toBe('0x6300');
    const axons = meta.storageEntry('SubtensorModule', 'Axons');
    expect(axons.modifier).toBe('Optional');
    expect(axons.hashers).toEqual(['Identity', 'Blake2_128Concat']);
    expect(axons.keyTypeIds.map((id) => meta.codecs.type(id).def.kind)).toEqual(['primitive', 'composite']);
    expect(meta.storageEntry('System', 'Number').hashers).toEqual([]);
  });

  it('error: unknown names are MetadataErrors with a code', () => {
    expect(metadataError(() => meta.palletIndex('Nope')).code).toBe('UnknownPallet');
    expect(metadataError(() => meta.callIndex('SubtensorModule', 'setWeights')).code).toBe('UnknownCall');
    expect(metadataError(() => meta.eventIndex('Timestamp', 'Anything')).code).toBe('UnknownEvent');
    expect(metadataError(() => meta.moduleErrorIndex('SubtensorModule', 'Nope')).code).toBe('UnknownError');
    expect(metadataError(() => meta.storageEntry('System', 'Nope')).code).toBe('UnknownStorage');
    expect(metadataError(() => meta.typeIdByPath('no::such::Type')).code).toBe('UnknownType');
    expect(metadataError(() => readMetadataFile('missing.scale')).code).toBe('MetadataFileNotFound');
  });

  it('behavior: declaring the subtensor extensions silences the warning and changes no encoding', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    let ours: ReturnType<typeof buildRuntimeMetadata>;
    try {
      ours = buildRuntimeMetadata(meta.bytes);
      const printed = [...warn.mock.calls, ...log.mock.calls].flat().join(' ');
      expect(printed).not.toContain('Unknown signed extensions');
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
    expect(Object.keys(SUBTENSOR_SIGNED_EXTENSIONS)).toEqual(['SubtensorSignedExtension', 'CommitmentsSignedExtension']);

    // what @polkadot/api builds for this runtime when not told about the extensions
    const plain = new TypeRegistry();
    plain.setMetadata(new Metadata(plain, meta.bytes), undefined, undefined, true);
    expect(ours.registry.signedExtensions).toEqual(plain.signedExtensions);
    expect(ours.registry.getSignedExtensionTypes()).toEqual(plain.getSignedExtensionTypes());
    expect(ours.registry.getSignedExtensionExtra()).toEqual(plain.getSignedExtensionExtra());

    const payload = {
      method: '0x0700040001000200',
      era: '0xa503',
      nonce: 7,
      tip: 0,
      specVersion: 219,
      transactionVersion: 1,
      genesisHash: `0x${'ab'.repeat(32)}`,
      blockHash: `0x${'cd'.repeat(32)}`,
      mode: 0,
      metadataHash: null,
    };
    const a = ours.registry.createType('ExtrinsicPayload', payload, { version: 4 }).toU8a({ method: true });
    const b = plain.createType('ExtrinsicPayload', payload, { version: 4 }).toU8a({ method: true });
    expect(u8aToHex(a)).toBe(u8aToHex(b));
    // method ++ era ++ nonce ++ tip ++ mode ++ specVersion ++ txVersion ++ genesis ++ block ++ metadataHash None
    expect(u8aToHex(a)).toBe(`0x0700040001000200a5031c0000db00000001000000${'ab'.repeat(32)}${'cd'.repeat(32)}00`);
  });
});
