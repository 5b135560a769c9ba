/** Typed storage items: raw keys against @polkadot/types' decorateStorage, values against registry encodings. */
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { decorateStorage } from '@polkadot/types/metadata/decorate';
import { getHasher } from '@polkadot/types/metadata/decorate/storage/getHasher';
import type { StorageHasher } from '@polkadot/types/interfaces';
import { loadRuntimeMetadata } from '../../localnet/metadata';
import type { RuntimeMetadata, StorageHasherName } from '../../localnet/metadata';
import { StorageError, storageItem } from '../../localnet/runtime/storage';
import { bytesToHex } from '../../localnet/scale';
import type { HexKey } from '../../localnet/state/types';
import { MemoryState } from '../helpers/memory-state';

const meta = loadRuntimeMetadata();
const { registry, metadata } = meta;
const decorated = decorateStorage(registry, metadata.asLatest, metadata.version);
type DecoratedFn = ((...args: unknown[]) => Uint8Array) & { keyPrefix(...args: unknown[]): Uint8Array };
const pd = (section: string, method: string): DecoratedFn => (decorated as unknown as Record<string, Record<string, DecoratedFn>>)[section]![method]!;
/** The raw key polkadot computes (its storage functions return the key with a length prefix). */
const pdKey = (section: string, method: string, ...args: unknown[]): string => u8aToHex(compactStripLength(pd(section, method)(...args))[1]);
const pdPrefix = (section: string, method: string, ...args: unknown[]): string => u8aToHex(pd(section, method).keyPrefix(...args));
const pdEncode = (typeId: number, value: unknown): string => u8aToHex(registry.createType(registry.createLookupType(typeId), value).toU8a());

const acct = (byte: number): `0x${string}` => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const HOT = acct(0x11);
const COLD = acct(0x22);

interface AxonInfo {
  block: bigint;
  version: number;
  ip: bigint;
  port: number;
  ip_type: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

const Tempo = storageItem<[netuid: number], number>(meta, 'SubtensorModule', 'Tempo');
const Keys = storageItem<[netuid: number, uid: number], string>(meta, 'SubtensorModule', 'Keys');
const Stake = storageItem<[hotkey: string, coldkey: string], bigint>(meta, 'SubtensorModule', 'Stake');
const Weights = storageItem<[netuid: number, uid: number], Array<[number, number]>>(meta, 'SubtensorModule', 'Weights');
const Axons = storageItem<[netuid: number, hotkey: string], AxonInfo | null>(meta, 'SubtensorModule', 'Axons');
const TransactionKeyLastBlock = storageItem<[hotkey: string, netuid: number, kind: number], bigint>(meta, 'SubtensorModule', 'TransactionKeyLastBlock');
const WeightCommits = storageItem<[netuid: number, hotkey: string], Array<[string, bigint, bigint, bigint]> | null>(
  meta,
  'SubtensorModule',
  'WeightCommits',
);
const CRV3WeightCommits = storageItem<[netuid: number, epoch: bigint], Array<[string, string, bigint]>>(meta, 'SubtensorModule', 'CRV3WeightCommits');
const UsedWork = storageItem<[work: string], bigint>(meta, 'SubtensorModule', 'UsedWork');
const TotalStake = storageItem<[], bigint>(meta, 'SubtensorModule', 'TotalStake');
const SystemAccount = storageItem<[account: string], { nonce: number; consumers: number; providers: number; sufficients: number; data: { free: bigint; reserved: bigint; frozen: bigint; flags: bigint } }>(
  meta,
  'System',
  'Account',
);
const BlockHash = storageItem<[number: number], string>(meta, 'System', 'BlockHash');
const SudoKey = storageItem<[], string | null>(meta, 'Sudo', 'Key');

describe('storage items', () => {
  it('default: raw keys equal decorateStorage keys (0 to 3 map keys, Identity / Twox64Concat / Blake2_128Concat)', () => {
    expect(TotalStake.key()).toBe(pdKey('subtensorModule', 'totalStake'));
    expect(SudoKey.key()).toBe(pdKey('sudo', 'key'));
    expect(Tempo.key(1)).toBe(pdKey('subtensorModule', 'tempo', 1));
    expect(Tempo.key(65535)).toBe(pdKey('subtensorModule', 'tempo', 65535));
    expect(Keys.key(3, 17)).toBe(pdKey('subtensorModule', 'keys', 3, 17));
    expect(Stake.key(HOT, COLD)).toBe(pdKey('subtensorModule', 'stake', HOT, COLD));
    expect(Weights.key(1, 4095)).toBe(pdKey('subtensorModule', 'weights', 1, 4095));
    expect(Axons.key(2, HOT)).toBe(pdKey('subtensorModule', 'axons', 2, HOT));
    expect(TransactionKeyLastBlock.key(HOT, 3, 1)).toBe(pdKey('subtensorModule', 'transactionKeyLastBlock', HOT, 3, 1));
    expect(WeightCommits.key(5, HOT)).toBe(pdKey('subtensorModule', 'weightCommits', 5, HOT));
    expect(CRV3WeightCommits.key(5, 123456789n)).toBe(pdKey('subtensorModule', 'crv3WeightCommits', 5, 123456789n));
    expect(UsedWork.key('0xdeadbeef')).toBe(pdKey('subtensorModule', 'usedWork', '0xdeadbeef'));
    expect(SystemAccount.key(HOT)).toBe(pdKey('system', 'account', HOT));
    expect(BlockHash.key(42)).toBe(pdKey('system', 'blockHash', 42));
  });

  it('args: prefixes equal decorateStorage keyPrefix for partial keys', () => {
    expect(Tempo.prefix()).toBe(pdPrefix('subtensorModule', 'tempo'));
    expect(Stake.prefix(HOT)).toBe(pdPrefix('subtensorModule', 'stake', HOT));
    expect(Axons.prefix(7)).toBe(pdPrefix('subtensorModule', 'axons', 7));
    expect(TransactionKeyLastBlock.prefix(HOT, 3)).toBe(pdPrefix('subtensorModule', 'transactionKeyLastBlock', HOT, 3));
    expect(WeightCommits.prefix(5)).toBe(pdPrefix('subtensorModule', 'weightCommits', 5));
    expect(Weights.prefix(1, 2)).toBe(Weights.key(1, 2));
  });

  it('behavior: opaque hashers hash as polkadot does and cannot be decoded back', () => {
    const opaque: StorageHasherName[] = ['Blake2_128', 'Blake2_256', 'Twox128', 'Twox256'];
    for (const h of opaque) {
      const fake: RuntimeMetadata = { ...meta, storageEntry: (p, i) => ({ ...meta.storageEntry(p, i), hashers: [h, 'Identity'] }) };
      const item = storageItem<[number, number], string>(fake, 'SubtensorModule', 'Keys');
      const hasher = getHasher({ type: h } as unknown as StorageHasher);
      const expected = Keys.prefix() + u8aToHex(hasher(new Uint8Array([3, 0]))).slice(2) + '1100';
      expect(item.key(3, 17)).toBe(expected);
      const state = new MemoryState();
      item.set(state, 3, 17, HOT);
      expect(() => item.entries(state)).toThrow(StorageError);
      expect(item.entries(state, 3)).toEqual([[[3, 17], HOT]]);
    }
  });

  it('behavior: values are the registry encodings', () => {
    const state = new MemoryState();
    Tempo.set(state, 1, 360);
    expect(bytesToHex(state.get(Tempo.key(1))!)).toBe(pdEncode(meta.storageEntry('SubtensorModule', 'Tempo').valueTypeId, 360));

    const row: Array<[number, number]> = [
      [0, 65535],
      [7, 1],
      [4095, 300],
    ];
    Weights.set(state, 1, 0, row);
    expect(bytesToHex(state.get(Weights.key(1, 0))!)).toBe(pdEncode(Weights.entry.valueTypeId, row));

    const axon: AxonInfo = { block: 123n, version: 7, ip: (1n << 100n) + 5n, port: 8091, ip_type: 4, protocol: 0, placeholder1: 0, placeholder2: 0 };
    Axons.set(state, 2, HOT, axon);
    expect(bytesToHex(state.get(Axons.key(2, HOT))!)).toBe(
      pdEncode(Axons.entry.valueTypeId, { ...axon, ipType: axon.ip_type, ip_type: undefined }),
    );
    expect(Axons.get(state, 2, HOT)).toEqual(axon);

    const account = { nonce: 5, consumers: 0, providers: 1, sufficients: 0, data: { free: 10n ** 12n, reserved: 0n, frozen: 0n, flags: 1n << 127n } };
    SystemAccount.set(state, COLD, account);
    expect(bytesToHex(state.get(SystemAccount.key(COLD))!)).toBe(pdEncode(SystemAccount.entry.valueTypeId, account));
    expect(SystemAccount.get(state, COLD)).toEqual(account);

    Stake.set(state, HOT, COLD, 42n);
    expect(bytesToHex(state.get(Stake.key(HOT, COLD))!)).toBe('0x2a00000000000000');
    expect(Stake.get(state, HOT, COLD)).toBe(42n);
  });

  it('behavior: absent keys read the metadata default (Default) or null (Optional)', () => {
    const empty = new MemoryState();
    expect(Tempo.get(empty, 9)).toBe(99);
    expect(Stake.get(empty, HOT, COLD)).toBe(0n);
    expect(Keys.get(empty, 1, 1)).toBe(acct(0));
    expect(Weights.get(empty, 1, 1)).toEqual([]);
    expect(Axons.get(empty, 1, HOT)).toBeNull();
    expect(SudoKey.get(empty)).toBeNull();
    expect(Tempo.has(empty, 9)).toBe(false);
    // a mutable default is a fresh object on every read
    const a = Weights.get(empty, 1, 1);
    a.push([1, 1]);
    expect(Weights.get(empty, 1, 1)).toEqual([]);
  });

  it('behavior: every Default item of the six pallets reads its fallback bytes', () => {
    const empty = new MemoryState();
    let checked = 0;
    for (const p of ['System', 'Timestamp', 'Balances', 'Sudo', 'SubtensorModule', 'AdminUtils']) {
      const pallet = metadata.asLatest.pallets.find((x) => x.name.toString() === p)!;
      if (pallet.storage.isNone) continue;
      for (const e of pallet.storage.unwrap().items) {
        const entry = meta.storageEntry(p, e.name.toString());
        const item = storageItem<unknown[], unknown>(meta, p, entry.name);
        // some key of each key type: decoded from zero bytes
        const keys = entry.keyTypeIds.map((id) => meta.codecs.codecFor(id).decode(new Uint8Array(64)).value);
        const value = item.get(empty, ...keys);
        if (entry.modifier === 'Optional') {
          expect(value).toBeNull();
          expect(bytesToHex(entry.fallback)).toBe('0x00');
        } else {
          expect(bytesToHex(item.valueCodec.encode(value))).toBe(bytesToHex(entry.fallback));
          expect(bytesToHex(item.valueCodec.encode(value))).toBe(u8aToHex(e.fallback.toU8a(true)));
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(140);
  });

  it('behavior: entries and keys decode the map keys back, filtered by partial keys, in raw-key order', () => {
    const state = new MemoryState();
    for (const uid of [3, 1, 2]) Weights.set(state, 1, uid, [[uid, 100]]);
    Weights.set(state, 2, 0, [[0, 1]]);
    expect(Weights.entries(state, 1)).toEqual([
      [[1, 1], [[1, 100]]],
      [[1, 2], [[2, 100]]],
      [[1, 3], [[3, 100]]],
    ]);
    expect(Weights.entries(state).length).toBe(4);
    expect(Weights.keys(state, 2)).toEqual([[2, 0]]);

    Stake.set(state, HOT, COLD, 5n);
    Stake.set(state, HOT, acct(0x33), 6n);
    Stake.set(state, acct(0x44), COLD, 7n);
    const hotEntries = Stake.entries(state, HOT);
    expect(hotEntries.map(([k]) => k)).toEqual(
      [
        [HOT, COLD],
        [HOT, acct(0x33)],
      ].sort((a, b) => (Stake.key(a[0]!, a[1]!) < Stake.key(b[0]!, b[1]!) ? -1 : 1)),
    );
    expect(new Map(Stake.entries(state).map(([[h, c], v]) => [`${h}/${c}`, v])).get(`${acct(0x44)}/${COLD}`)).toBe(7n);

    Axons.set(state, 2, HOT, { block: 1n, version: 1, ip: 1n, port: 1, ip_type: 4, protocol: 0, placeholder1: 0, placeholder2: 0 });
    expect(Axons.keys(state)).toEqual([[2, HOT]]);
    TransactionKeyLastBlock.set(state, HOT, 3, 1, 77n);
    expect(TransactionKeyLastBlock.entries(state, HOT)).toEqual([[[HOT, 3, 1], 77n]]);
    CRV3WeightCommits.set(state, 5, 9n, [[COLD, '0xabcd', 3n]]);
    expect(CRV3WeightCommits.entries(state)).toEqual([[[5, 9n], [[COLD, '0xabcd', 3n]]]]);
    UsedWork.set(state, '0xdeadbeef', 12n);
    expect(UsedWork.entries(state)).toEqual([[['0xdeadbeef'], 12n]]);
    expect(Stake.decodeKey(Stake.key(HOT, COLD))).toEqual([HOT, COLD]);
  });

  it('behavior: remove, clear and Optional null', () => {
    const state = new MemoryState();
    for (const uid of [0, 1]) Keys.set(state, 1, uid, acct(uid + 1));
    Keys.set(state, 2, 0, acct(9));
    Keys.remove(state, 1, 0);
    expect(Keys.has(state, 1, 0)).toBe(false);
    expect(Keys.get(state, 1, 1)).toBe(acct(2));
    Keys.clear(state, 1);
    expect(Keys.keys(state)).toEqual([[2, 0]]);
    Keys.clear(state);
    expect(state.map.size).toBe(0);

    WeightCommits.set(state, 1, HOT, [[acct(5), 1n, 2n, 3n]]);
    expect(WeightCommits.get(state, 1, HOT)).toEqual([[acct(5), 1n, 2n, 3n]]);
    WeightCommits.set(state, 1, HOT, null);
    expect(WeightCommits.has(state, 1, HOT)).toBe(false);
  });

  it('error: wrong key counts, foreign keys and undecodable values', () => {
    const state = new MemoryState();
    const loose = Tempo as unknown as { key(...k: unknown[]): HexKey; set(...a: unknown[]): void };
    expect(() => loose.key()).toThrow(expect.objectContaining({ code: 'KeyArity' }));
    expect(() => loose.key(1, 2)).toThrow(expect.objectContaining({ code: 'KeyArity' }));
    expect(() => loose.set(state, 1)).toThrow(expect.objectContaining({ code: 'KeyArity' }));
    expect(() => Tempo.decodeKey(Keys.key(1, 1))).toThrow(expect.objectContaining({ code: 'InvalidKey' }));
    expect(() => Tempo.decodeKey(`${Tempo.key(1)}00` as HexKey)).toThrow(expect.objectContaining({ code: 'InvalidKey' }));
    state.set(Tempo.key(1), new Uint8Array([1]));
    expect(() => Tempo.get(state, 1)).toThrow(expect.objectContaining({ code: 'InvalidValue' }));
    expect(() => Tempo.set(state, 1, 70000)).toThrow(expect.objectContaining({ code: 'Encode' }));
    expect(() => storageItem(meta, 'SubtensorModule', 'Nope')).toThrow(expect.objectContaining({ code: 'UnknownStorage' }));
  });
});
