/**
 * connect(): networks, request timeouts, reconnection with resubscription, and a close() that leaves
 * no open handles — against a real localnet on 127.0.0.1:0 (through a TCP proxy where traffic must be cut).
 */
import type { Header } from '@polkadot/types/interfaces';
import { backoffDelay, connect, resolveNetwork, type ChainClient } from '../../chain-client';
import { startLocalnet, type Localnet } from '../../localnet';
import { activeResources, startTcpProxy, waitFor } from './helpers/tcp-proxy';

let net: Localnet;

beforeAll(async () => {
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
}, 30_000);
afterAll(async () => {
  await net?.close();
});

describe('resolveNetwork', () => {
  test('default: named networks and the TENSORNET_NETWORK default', () => {
    expect(resolveNetwork('local', {})).toEqual({ name: 'local', url: 'ws://127.0.0.1:9944' });
    expect(resolveNetwork('test', {})).toEqual({ name: 'test', url: 'wss://test.finney.opentensor.ai:443' });
    expect(resolveNetwork('finney', {})).toEqual({ name: 'finney', url: 'wss://entrypoint-finney.opentensor.ai:443' });
    expect(resolveNetwork(undefined, { TENSORNET_NETWORK: 'test' }).name).toBe('test');
    expect(resolveNetwork(undefined, {})).toEqual({ name: 'local', url: 'ws://127.0.0.1:9944' });
    expect(resolveNetwork('local', { BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://10.0.0.1:9944' }).url).toBe('ws://10.0.0.1:9944');
    expect(resolveNetwork('wss://node.example:443', {})).toEqual({ name: 'custom', url: 'wss://node.example:443' });
  });

  test('error: other strings and schemes are InvalidNetwork, with credentials redacted', () => {
    expect(() => resolveNetwork('mainnet', {})).toThrow(expect.objectContaining({ code: 'InvalidNetwork' }));
    expect(() => resolveNetwork('http://user:secret@host:9933', {})).toThrow(expect.objectContaining({ code: 'InvalidNetwork' }));
    try {
      resolveNetwork('http://user:secret@host:9933', {});
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
    expect(() => resolveNetwork(undefined, { TENSORNET_NETWORK: 'nope' })).toThrow(/TENSORNET_NETWORK/);
  });
});

describe('connect', () => {
  test('default: connects, answers raw RPCs, reports the runtime, closes without leaving handles', async () => {
    await new Promise((r) => setImmediate(r));
    const before = activeResources();
    const client = await connect({ network: net.url, timeoutMs: 5000 });
    expect(client.isConnected).toBe(true);
    expect(await client.rpc<string>('system_chain', [])).toBe('Bittensor localnet');
    expect(client.runtime.identity.specVersion).toBe(219);
    expect(client.runtime.stakeCallShape()).toBe('hotkey-amount');
    const n = await client.request('query SubnetworkN', (api) => api.query.subtensorModule!.subnetworkN!(0));
    expect(n.toString()).toBe('0');
    await client.close();
    await client.close();
    await expect(client.rpc('system_chain', [])).rejects.toMatchObject({ code: 'ClientClosed' });
    // close() resolves only after the client's sockets are gone; timers (other than the process's own,
    // which come and go) settle back to the baseline. Repeat to show nothing accumulates.
    await new Promise((r) => setImmediate(r));
    expect(activeResources()['TCPSocketWrap'] ?? 0).toBeLessThanOrEqual(before['TCPSocketWrap'] ?? 0);
    for (let i = 0; i < 3; i++) {
      const again = await connect({ network: net.url, timeoutMs: 5000 });
      await again.rpc('system_health', []);
      await again.close();
      await new Promise((r) => setImmediate(r));
      expect(activeResources()['TCPSocketWrap'] ?? 0).toBeLessThanOrEqual(before['TCPSocketWrap'] ?? 0);
    }
    await waitFor(() => (activeResources()['Timeout'] ?? 0) <= (before['Timeout'] ?? 0), 1000);
  }, 15_000);

  test('error: a request that gets no answer is RequestTimeout', async () => {
    const proxy = await startTcpProxy(net.port);
    const client = await connect({ network: proxy.url, timeoutMs: 400 });
    try {
      proxy.blackhole = true;
      const started = Date.now();
      await expect(client.rpc('system_chain', [])).rejects.toMatchObject({ code: 'RequestTimeout', details: { method: 'system_chain', timeoutMs: 400 } });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await client.close();
      await proxy.close();
    }
  }, 15_000);

  test('error: no node within timeoutMs is RequestTimeout; refused without reconnect is ConnectionFailed', async () => {
    const proxy = await startTcpProxy(net.port);
    proxy.blackhole = true;
    await expect(connect({ network: proxy.url, timeoutMs: 300 })).rejects.toMatchObject({ code: 'RequestTimeout', details: { method: 'connect' } });
    const url = proxy.url;
    await proxy.close();
    await expect(connect({ network: url, timeoutMs: 2000, reconnectDelayMs: 0 })).rejects.toMatchObject({ code: 'ConnectionFailed' });
  }, 15_000);

  test('behavior: after the socket drops, the client reconnects and subscriptions resume', async () => {
    const proxy = await startTcpProxy(net.port);
    let client: ChainClient | undefined;
    try {
      client = await connect({ network: proxy.url, timeoutMs: 5000, reconnectDelayMs: 50 });
      const heads: number[] = [];
      const unsubscribe = await client.api.rpc.chain.subscribeNewHeads((h: Header) => {
        heads.push(h.number.toNumber());
      });
      const first = (await net.chain.newBlock()).number;
      await waitFor(() => heads.includes(first), 3000);
      proxy.dropAll();
      await waitFor(() => !client!.isConnected, 3000);
      await waitFor(() => client!.isConnected, 3000);
      const second = (await net.chain.newBlock()).number;
      await waitFor(() => heads.includes(second), 3000);
      expect(await client.rpc<string>('system_chain', [])).toBe('Bittensor localnet');
      unsubscribe();
    } finally {
      await client?.close();
      await proxy.close();
    }
  }, 15_000);

  test('behavior: reconnection attempts back off exponentially up to the cap, then reset on success', async () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay({ minDelayMs: 50, maxDelayMs: 400 }, a))).toEqual([50, 100, 200, 400, 400, 400]);
    const proxy = await startTcpProxy(net.port);
    let client: ChainClient | undefined;
    try {
      client = await connect({ network: proxy.url, timeoutMs: 5000, reconnectDelayMs: 50, maxReconnectDelayMs: 400 });
      proxy.reject = true;
      const downSince = Date.now();
      proxy.dropAll();
      await new Promise((r) => setTimeout(r, 1600));
      const attempts = proxy.accepted.filter((t) => t >= downSince);
      // Expected attempts at ≈ 50, 150, 350, 750, 1150, 1550 ms; a fixed 50 ms delay would make ~30.
      expect(attempts.length).toBeGreaterThanOrEqual(4);
      expect(attempts.length).toBeLessThanOrEqual(8);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
      expect(gaps[0]!).toBeGreaterThanOrEqual(80);
      expect(gaps[2]!).toBeGreaterThanOrEqual(300);
      proxy.reject = false;
      await waitFor(() => client!.isConnected, 3000);
      expect(await client.rpc<string>('system_chain', [])).toBe('Bittensor localnet');
    } finally {
      await client?.close();
      await proxy.close();
    }
  }, 15_000);
});
