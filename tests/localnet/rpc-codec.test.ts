/**
 * The RPC layer's pure parts: JSON serialization, the SCALE → Substrate-JSON codecs, parameter
 * validation, and per-connection subscription bookkeeping (buffering until the id was sent).
 */
import { TypeRegistry } from '@polkadot/types';
import type { ExtrinsicStatus } from '@polkadot/types/interfaces';
import { decodeDispatchInfo, decodeHeader, decodeU64, transactionStatusJson } from '../../localnet/rpc/codec';
import { parseParams } from '../../localnet/rpc/dispatcher';
import { RpcError } from '../../localnet/rpc/errors';
import { serializeJson } from '../../localnet/rpc/json';
import { silentLogger } from '../../localnet/rpc/logger';
import { param } from '../../localnet/rpc/method';
import { blockHash, optional, u16 } from '../../localnet/rpc/schemas';
import { ConnectionSubscriptions } from '../../localnet/rpc/subscriptions';

const registry = new TypeRegistry();

describe('serializeJson', () => {
  test('default: matches JSON.stringify for plain values', () => {
    const value = { a: [1, 'x', null, true, { b: -2.5 }], 'quo"te': 'line\nbreak' };
    expect(serializeJson(value)).toBe(JSON.stringify(value));
  });

  test('behavior: bigint as exact digits, undefined members skipped, non-finite as null', () => {
    expect(serializeJson({ big: 2n ** 64n, skip: undefined, nan: Number.NaN, list: [10n] })).toBe('{"big":18446744073709551616,"nan":null,"list":[10]}');
  });
});

describe('codec', () => {
  test('decodeHeader: Substrate JSON (hex number, hex digest items)', () => {
    const header = registry.createType('Header', {
      parentHash: `0x${'11'.repeat(32)}`,
      number: 300,
      stateRoot: `0x${'22'.repeat(32)}`,
      extrinsicsRoot: `0x${'33'.repeat(32)}`,
      digest: { logs: [{ PreRuntime: ['0x61757261', '0x0102'] }, { Other: '0xff' }] },
    });
    expect(decodeHeader(header.toU8a())).toEqual({
      parentHash: `0x${'11'.repeat(32)}`,
      number: '0x12c',
      stateRoot: `0x${'22'.repeat(32)}`,
      extrinsicsRoot: `0x${'33'.repeat(32)}`,
      digest: { logs: ['0x0661757261080102', '0x0004ff'] },
    });
  });

  test('decodeDispatchInfo: V2 weight; V1 (u64) weight for 25-byte values that are not V2', () => {
    const v2 = registry.createType('RuntimeDispatchInfoV2', { weight: { refTime: 10, proofSize: 20 }, class: 'Operational', partialFee: 12345 });
    expect(decodeDispatchInfo(v2.toU8a())).toEqual({ weight: { refTime: 10n, proofSize: 20n }, class: 'operational', partialFee: '12345' });
    const v1 = registry.createType('RuntimeDispatchInfoV1', { weight: 2n ** 40n, class: 'Mandatory', partialFee: 7 });
    expect(v1.toU8a()).toHaveLength(25);
    expect(decodeDispatchInfo(v1.toU8a())).toEqual({ weight: 2n ** 40n, class: 'mandatory', partialFee: '7' });
    expect(() => decodeDispatchInfo(new Uint8Array([1, 2, 3]))).toThrow(/decode neither/);
  });

  test('decodeU64: number when safe, bigint beyond 2^53, length checked', () => {
    expect(decodeU64(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]))).toBe(1);
    expect(decodeU64(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0x80]))).toBe(2n ** 63n);
    expect(() => decodeU64(new Uint8Array(4))).toThrow(/8 bytes/);
  });

  test('transactionStatusJson: the serde shapes polkadot.js decodes as ExtrinsicStatus', () => {
    const hash = `0x${'44'.repeat(32)}` as const;
    const cases = [
      [{ type: 'ready' }, 'ready', 'Ready'],
      [{ type: 'inBlock', blockHash: hash }, { inBlock: hash }, 'InBlock'],
      [{ type: 'finalized', blockHash: hash }, { finalized: hash }, 'Finalized'],
      [{ type: 'invalid', reason: 'stale' }, 'invalid', 'Invalid'],
      [{ type: 'dropped', reason: 'full' }, 'dropped', 'Dropped'],
    ] as const;
    for (const [status, json, type] of cases) {
      expect(transactionStatusJson(status)).toEqual(json);
      expect(registry.createType<ExtrinsicStatus>('ExtrinsicStatus', json).type).toBe(type);
    }
  });
});

describe('parseParams', () => {
  const defs = [param('netuid', u16), param('at', optional(blockHash))];

  test('default: positional, trailing optional absent or null', () => {
    expect(parseParams(defs, [3])).toEqual([3, undefined]);
    expect(parseParams(defs, [3, null])).toEqual([3, undefined]);
  });

  test('behavior: named params, hashes lowercased', () => {
    const hash = `0x${'AB'.repeat(32)}`;
    expect(parseParams(defs, { at: hash, netuid: 1 })).toEqual([1, hash.toLowerCase()]);
  });

  test('error: RpcError -32602 naming the parameter', () => {
    const error = (() => {
      try {
        parseParams(defs, [1, 'nope']);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).toErrorObject()).toEqual({ code: -32602, message: 'Invalid params: `at`: expected a 32-byte 0x-prefixed hex hash' });
    expect(() => parseParams(defs, [])).toThrow('Invalid params: `netuid`: missing required parameter');
    expect(() => parseParams(defs, [1, null, 3])).toThrow('Invalid params: expected at most 2 params, got 3');
  });
});

describe('ConnectionSubscriptions', () => {
  function setup(max = 4): { subs: ConnectionSubscriptions; sent: Array<Record<string, unknown>> } {
    const sent: Array<Record<string, unknown>> = [];
    const subs = new ConnectionSubscriptions({ send: (m) => sent.push(JSON.parse(m) as Record<string, unknown>), logger: silentLogger, maxSubscriptions: max });
    return { subs, sent };
  }

  test('behavior: notifications wait for activate(), then flow directly', async () => {
    const { subs, sent } = setup();
    const started = await subs.start('chain_newHead', (sink) => {
      sink.notify(1);
      sink.notify(2);
      return () => undefined;
    });
    expect(sent).toEqual([]);
    started.activate();
    expect(sent.map((m) => (m.params as { result: number }).result)).toEqual([1, 2]);
    expect(sent[0]).toEqual({ jsonrpc: '2.0', method: 'chain_newHead', params: { subscription: started.id, result: 1 } });
  });

  test('behavior: a server-side close before activation flushes, then tears down', async () => {
    const { subs, sent } = setup();
    const teardown = jest.fn();
    const started = await subs.start('author_extrinsicUpdate', (sink) => {
      sink.notify('ready');
      sink.close();
      sink.notify('ignored');
      return teardown;
    });
    expect(teardown).not.toHaveBeenCalled();
    started.activate();
    expect(sent).toHaveLength(1);
    expect(teardown).toHaveBeenCalledTimes(1);
    expect(subs.size).toBe(0);
  });

  test('behavior: closeAll while a starter is pending runs its teardown once it resolves', async () => {
    const { subs } = setup();
    const teardown = jest.fn();
    let release: () => void = () => undefined;
    const pending = subs.start('x', () => new Promise((resolve) => (release = () => resolve(teardown))));
    subs.closeAll();
    release();
    await pending;
    expect(teardown).toHaveBeenCalledTimes(1);
  });

  test('error: a starter that throws creates nothing; the limit is enforced', async () => {
    const { subs } = setup(1);
    await expect(subs.start('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(subs.size).toBe(0);
    await subs.start('x', () => () => undefined);
    await expect(subs.start('x', () => () => undefined)).rejects.toMatchObject({ rpcCode: -32006 });
  });

  test('behavior: a throwing teardown is contained', async () => {
    const { subs } = setup();
    const started = await subs.start('x', () => () => {
      throw new Error('teardown failed');
    });
    started.activate();
    expect(subs.unsubscribe(started.id, 'x')).toBe(true);
    expect(subs.size).toBe(0);
  });
});
