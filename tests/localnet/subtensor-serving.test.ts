/** SubtensorModule serving (spec §9): serve_axon, serve_axon_tls, serve_prometheus, through real signed extrinsics. */
import { u8aToHex } from '@polkadot/util';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import type { AccountId, EventRecord, Hex } from '../../localnet/runtime/primitives';
import type { StorageItem } from '../../localnet/runtime/storage';
import { TestChain } from './helpers/test-chain';

const s = st();
const U128_MAX = (1n << 128n) - 1n;
/** 192.168.1.10 as the chain stores an IPv4 address (a·2²⁴ + b·2¹⁶ + c·2⁸ + d). */
const IPV4 = (192n << 24n) + (168n << 16n) + (1n << 8n) + 10n;
/** 2001:db8::1 */
const IPV6 = (0x2001_0db8n << 96n) + 1n;

let t: TestChain;
/** Registered on subnet 1 only; signs its own serving calls (SubtensorModule calls are fee-free). */
const HOT = '//Alice//axon';
let hot: AccountId;

beforeAll(async () => {
  t = await TestChain.start();
  hot = t.account(HOT);
  await t.addNetwork(1, { tempo: 360 });
  await t.addNetwork(2, { tempo: 360 });
  expect((await t.send('//Alice', 'SubtensorModule', 'burned_register', { netuid: 1, hotkey: hot })).error).toBeNull();
});
afterAll(async () => {
  await t.close();
});

async function setStorage<K extends readonly unknown[], V>(item: StorageItem<K, V>, ...keysAndValue: [...K, V]): Promise<void> {
  await t.setStorage(item, ...keysAndValue);
}

interface AxonCall {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ip_type: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

const axon = (overrides: Partial<AxonCall> = {}): AxonCall => ({ netuid: 1, version: 7, ip: IPV4, port: 8091, ip_type: 4, protocol: 4, placeholder1: 1, placeholder2: 2, ...overrides });
const prometheus = (overrides: Partial<Omit<AxonCall, 'protocol' | 'placeholder1' | 'placeholder2'>> = {}) => ({ netuid: 1, version: 3, ip: IPV6, port: 9090, ip_type: 6, ...overrides });

const serveAxon = (signer: string, args: AxonCall) => t.send(signer, 'SubtensorModule', 'serve_axon', { ...args });
const serveAxonTls = (signer: string, args: AxonCall, certificate: Hex) => t.send(signer, 'SubtensorModule', 'serve_axon_tls', { ...args, certificate });
const servePrometheus = (signer: string, args: ReturnType<typeof prometheus>) => t.send(signer, 'SubtensorModule', 'serve_prometheus', { ...args });

function subtensorEvent(records: readonly EventRecord[], name: string): unknown {
  const found = records.find((r) => (r.event.SubtensorModule as Record<string, unknown> | undefined)?.[name] !== undefined);
  return found ? (found.event.SubtensorModule as Record<string, unknown>)[name] : undefined;
}

const bytes = (n: number, fill: number): Hex => u8aToHex(new Uint8Array(n).fill(fill)) as Hex;

// ---- serve_axon -------------------------------------------------------------------------------------

describe('serve_axon', () => {
  test('default: stores AxonInfo at the current block and emits AxonServed(netuid, hotkey)', async () => {
    const r = await serveAxon(HOT, axon());
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['SubtensorModule.AxonServed', 'System.ExtrinsicSuccess']);
    expect(subtensorEvent(r.records, 'AxonServed')).toEqual([1, hot]);
    expect(t.query(s.Axons, 1, hot)).toEqual({ block: BigInt(r.blockNumber), version: 7, ip: IPV4, port: 8091, ip_type: 4, protocol: 4, placeholder1: 1, placeholder2: 2 });
  });

  test('error: ServingRateLimitExceeded within ServingRateLimit blocks (init 50), before the port check', async () => {
    const before = t.query(s.Axons, 1, hot);
    expect((await serveAxon(HOT, axon({ port: 0, version: 8 }))).error).toBe('SubtensorModule.ServingRateLimitExceeded');
    expect(t.query(s.Axons, 1, hot)).toEqual(before);
  });

  test('behavior: the limit is per (netuid, hotkey): another netuid, even one the hotkey is not on or that does not exist, is served', async () => {
    const onTwo = await serveAxon(HOT, axon({ netuid: 2 }));
    expect(onTwo.error).toBeNull();
    expect(subtensorEvent(onTwo.records, 'AxonServed')).toEqual([2, hot]);
    const nowhere = await serveAxon(HOT, axon({ netuid: 99 }));
    expect(nowhere.error).toBeNull();
    expect(t.query(s.Axons, 99, hot)?.block).toBe(BigInt(nowhere.blockNumber));
  });

  test('behavior: b − last ≥ ServingRateLimit passes; 0 disables the limit', async () => {
    await setStorage(s.ServingRateLimit, 1, 3n);
    const first = await serveAxon(HOT, axon());
    expect(first.error).toBeNull();
    await t.advance(1);
    expect((await serveAxon(HOT, axon())).error).toBe('SubtensorModule.ServingRateLimitExceeded');
    const third = await serveAxon(HOT, axon({ version: 9 }));
    expect(third.blockNumber - first.blockNumber).toBe(3);
    expect(third.error).toBeNull();
    expect(t.query(s.Axons, 1, hot)?.version).toBe(9);

    await setStorage(s.ServingRateLimit, 1, 0n);
    expect((await serveAxon(HOT, axon())).error).toBeNull();
    expect((await serveAxon(HOT, axon())).error).toBeNull();
  });

  test('error: HotKeyNotRegisteredInNetwork for a hotkey on no network, before the ip checks', async () => {
    const r = await serveAxon('//Bob//stranger', axon({ ip_type: 5, ip: 0n }));
    expect(r.error).toBe('SubtensorModule.HotKeyNotRegisteredInNetwork');
    expect(t.query(s.Axons, 1, t.account('//Bob//stranger'))).toBeNull();
  });

  test('error: InvalidIpType unless 4 or 6, before the address check', async () => {
    for (const ip_type of [0, 5, 7]) expect((await serveAxon(HOT, axon({ ip_type, ip: 0n }))).error).toBe('SubtensorModule.InvalidIpType');
  });

  test('error: InvalidIpAddress for 0, 255.255.255.255 and 127.0.0.1 (v4), and 0, ::1 and all-ones (v6)', async () => {
    const invalid: Array<[number, bigint]> = [
      [4, 0n],
      [4, 0xffff_ffffn],
      [4, 0x7f00_0001n],
      [4, 1n << 32n],
      [6, 0n],
      [6, 1n],
      [6, U128_MAX],
    ];
    for (const [ip_type, ip] of invalid) expect([ip_type, ip, (await serveAxon(HOT, axon({ ip_type, ip }))).error]).toEqual([ip_type, ip, 'SubtensorModule.InvalidIpAddress']);
  });

  test('behavior: the edges that pass: 255.255.255.254, 0.0.0.1, ::2, and an IPv4-sized value as IPv6', async () => {
    const valid: Array<[number, bigint]> = [
      [4, 0xffff_fffen],
      [4, 1n],
      [6, 2n],
      [6, 0x7f00_0001n],
    ];
    for (const [ip_type, ip] of valid) {
      expect((await serveAxon(HOT, axon({ ip_type, ip }))).error).toBeNull();
      expect(t.query(s.Axons, 1, hot)).toMatchObject({ ip, ip_type });
    }
  });

  test('error: InvalidPort for port 0', async () => {
    expect((await serveAxon(HOT, axon({ port: 0 }))).error).toBe('SubtensorModule.InvalidPort');
  });

  test('error: BadOrigin for a root origin', async () => {
    expect((await t.sudo('SubtensorModule', 'serve_axon', { ...axon() })).error).toBe('BadOrigin');
  });
});

// ---- serve_axon_tls -----------------------------------------------------------------------------------

describe('serve_axon_tls', () => {
  test('default: serves the axon and stores the certificate (byte 0 = algorithm, the rest the public key)', async () => {
    const cert = u8aToHex(new Uint8Array([1, ...new Uint8Array(64).fill(0xab)])) as Hex;
    const r = await serveAxonTls(HOT, axon({ version: 11 }), cert);
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['SubtensorModule.AxonServed', 'System.ExtrinsicSuccess']);
    expect(t.query(s.Axons, 1, hot)?.version).toBe(11);
    expect(t.query(s.NeuronCertificates, 1, hot)).toEqual({ algorithm: 1, public_key: bytes(64, 0xab) });
  });

  test('behavior: a new certificate replaces the old one; an empty or over-65-byte one is skipped silently', async () => {
    expect((await serveAxonTls(HOT, axon(), '0x02cafe')).error).toBeNull();
    expect(t.query(s.NeuronCertificates, 1, hot)).toEqual({ algorithm: 2, public_key: '0xcafe' });
    expect((await serveAxonTls(HOT, axon({ version: 12 }), bytes(66, 3))).error).toBeNull();
    expect(t.query(s.Axons, 1, hot)?.version).toBe(12);
    expect(t.query(s.NeuronCertificates, 1, hot)).toEqual({ algorithm: 2, public_key: '0xcafe' });
    expect((await serveAxonTls(HOT, axon(), '0x')).error).toBeNull();
    expect(t.query(s.NeuronCertificates, 1, hot)).toEqual({ algorithm: 2, public_key: '0xcafe' });
    expect((await serveAxonTls(HOT, axon({ netuid: 3 }), '0x05')).error).toBeNull();
    expect(t.query(s.NeuronCertificates, 3, hot)).toEqual({ algorithm: 5, public_key: '0x' });
  });

  test('error: the serve_axon checks apply; a failed call (InvalidPort) stores no certificate', async () => {
    expect((await serveAxonTls('//Bob//stranger', axon(), '0x01')).error).toBe('SubtensorModule.HotKeyNotRegisteredInNetwork');
    expect((await serveAxonTls(HOT, axon({ ip_type: 1 }), '0x01')).error).toBe('SubtensorModule.InvalidIpType');
    expect((await serveAxonTls(HOT, axon({ ip: 0n }), '0x01')).error).toBe('SubtensorModule.InvalidIpAddress');
    expect((await serveAxonTls(HOT, axon({ port: 0 }), '0x09beef')).error).toBe('SubtensorModule.InvalidPort');
    expect(t.query(s.NeuronCertificates, 1, hot)).toEqual({ algorithm: 2, public_key: '0xcafe' });
    expect((await serveAxonTls(HOT, axon(), '0x01')).error).toBeNull();
    await setStorage(s.ServingRateLimit, 1, 50n);
    expect((await serveAxonTls(HOT, axon(), '0x07')).error).toBe('SubtensorModule.ServingRateLimitExceeded');
    expect(t.query(s.NeuronCertificates, 1, hot)).toEqual({ algorithm: 1, public_key: '0x' });
  });
});

// ---- serve_prometheus ----------------------------------------------------------------------------------

describe('serve_prometheus', () => {
  test('default: stores PrometheusInfo and emits PrometheusServed; its rate limit is separate from the axon one', async () => {
    // The axon was just served on netuid 1 under a 50-block limit (previous test).
    const r = await servePrometheus(HOT, prometheus());
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['SubtensorModule.PrometheusServed', 'System.ExtrinsicSuccess']);
    expect(subtensorEvent(r.records, 'PrometheusServed')).toEqual([1, hot]);
    expect(t.query(s.Prometheus, 1, hot)).toEqual({ block: BigInt(r.blockNumber), version: 3, ip: IPV6, port: 9090, ip_type: 6 });
  });

  test('error: ServingRateLimitExceeded within the limit, before the port check; passes once it has elapsed', async () => {
    expect((await servePrometheus(HOT, prometheus({ port: 0 }))).error).toBe('SubtensorModule.ServingRateLimitExceeded');
    await setStorage(s.ServingRateLimit, 1, 2n);
    const r = await servePrometheus(HOT, prometheus({ version: 4, ip: IPV4, ip_type: 4 }));
    expect(r.error).toBeNull();
    expect(t.query(s.Prometheus, 1, hot)).toEqual({ block: BigInt(r.blockNumber), version: 4, ip: IPV4, port: 9090, ip_type: 4 });
    expect((await servePrometheus(HOT, prometheus())).error).toBe('SubtensorModule.ServingRateLimitExceeded');
    await setStorage(s.ServingRateLimit, 1, 0n);
  });

  test('error: each check in order — HotKeyNotRegisteredInNetwork, InvalidIpType, InvalidIpAddress, InvalidPort', async () => {
    expect((await servePrometheus('//Bob//stranger', prometheus({ ip_type: 9, ip: 0n, port: 0 }))).error).toBe('SubtensorModule.HotKeyNotRegisteredInNetwork');
    expect((await servePrometheus(HOT, prometheus({ ip_type: 9, ip: 0n, port: 0 }))).error).toBe('SubtensorModule.InvalidIpType');
    expect((await servePrometheus(HOT, prometheus({ ip_type: 4, ip: 0x7f00_0001n, port: 0 }))).error).toBe('SubtensorModule.InvalidIpAddress');
    expect((await servePrometheus(HOT, prometheus({ ip_type: 6, ip: 1n, port: 0 }))).error).toBe('SubtensorModule.InvalidIpAddress');
    expect((await servePrometheus(HOT, prometheus({ port: 0 }))).error).toBe('SubtensorModule.InvalidPort');
    expect(t.query(s.Prometheus, 1, hot)?.version).toBe(4);
  });

  test('behavior: any netuid may be served by a registered hotkey', async () => {
    const r = await servePrometheus(HOT, prometheus({ netuid: 42 }));
    expect(r.error).toBeNull();
    expect(subtensorEvent(r.records, 'PrometheusServed')).toEqual([42, hot]);
  });

  test('error: BadOrigin for a root origin', async () => {
    expect((await t.sudo('SubtensorModule', 'serve_prometheus', prometheus())).error).toBe('BadOrigin');
  });
});
