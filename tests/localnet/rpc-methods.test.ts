/**
 * Every request/response method, through polkadot.js' own providers (`WsProvider` over WebSocket,
 * `HttpProvider` over HTTP), with results checked against what the fake chain holds and decoded
 * with polkadot.js types where the node's JSON feeds one.
 */
import { HttpProvider, WsProvider } from '@polkadot/api';
import { Metadata } from '@polkadot/types';
import type { ChainType, RuntimeDispatchInfoV2, RuntimeVersion } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, encodeAddress } from '@polkadot/util-crypto';
import type { HexKey } from '../../localnet/state/types';
import { createRpcServer, type RpcServer } from '../../localnet/rpc';
import { STORAGE_KEYS_PAGED_MAX_COUNT } from '../../localnet/rpc/handlers/state';
import { FakeChainBackend, registry, SYSTEM_NUMBER_KEY, TEST_KEYS, TEST_PREFIX, testExtrinsic } from './helpers/rpc-fake-backend';
import { postJson } from './helpers/rpc-clients';

type Send = (method: string, params?: unknown[]) => Promise<unknown>;

interface ProviderError {
  readonly message: string;
  readonly code: number;
  readonly data?: unknown;
}

const ALICE = encodeAddress(new Uint8Array(32).fill(1), 42);

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    const { code, data, message } = err as ProviderError;
    // HttpProvider appends a "Failed HTTP Request: …" line; keep what the node said.
    return { code, data, message: message.split('\n')[0] ?? '' };
  }
  throw new Error('expected the call to fail');
}

describe.each(['ws', 'http'] as const)('rpc methods over %s (polkadot.js provider)', (transport) => {
  let backend: FakeChainBackend;
  let server: RpcServer;
  let send: Send;
  let closeProvider: () => Promise<void>;

  beforeEach(async () => {
    backend = new FakeChainBackend();
    server = await createRpcServer({ backend, port: 0 });
    if (transport === 'ws') {
      const provider = new WsProvider(server.url, false);
      await provider.connect();
      await provider.isReady;
      send = (method, params = []) => provider.send(method, params);
      closeProvider = () => provider.disconnect();
    } else {
      const provider = new HttpProvider(server.httpUrl);
      send = (method, params = []) => provider.send(method, params);
      closeProvider = () => provider.disconnect();
    }
  });

  afterEach(async () => {
    await closeProvider();
    await server.close();
  });

  test('rpc_methods: every served method, sorted, generated from the handler map', async () => {
    const { methods } = (await send('rpc_methods')) as { methods: string[] };
    expect(methods).toEqual([...methods].sort());
    expect(methods).toEqual(expect.arrayContaining([
      'rpc_methods', 'system_chain', 'system_name', 'system_version', 'system_properties', 'system_health',
      'system_accountNextIndex', 'system_chainType', 'system_localPeerId', 'system_nodeRoles', 'system_peers',
      'chain_getBlockHash', 'chain_getHeader', 'chain_getBlock', 'chain_getFinalizedHead', 'chain_subscribeNewHeads',
      'chain_unsubscribeNewHeads', 'subscribe_newHead', 'chain_subscribeFinalizedHeads', 'chain_subscribeAllHeads',
      'state_getMetadata', 'state_getRuntimeVersion', 'chain_getRuntimeVersion', 'state_subscribeRuntimeVersion',
      'state_getStorage', 'state_getStorageAt', 'state_getStorageHash', 'state_getStorageSize', 'state_getKeys',
      'state_getKeysPaged', 'state_queryStorageAt', 'state_queryStorage', 'state_subscribeStorage', 'state_call', 'author_submitExtrinsic',
      'author_submitAndWatchExtrinsic', 'author_unwatchExtrinsic', 'author_pendingExtrinsics', 'payment_queryInfo',
      'neuronInfo_getNeuronsLite', 'neuronInfo_getNeuronLite', 'neuronInfo_getNeurons', 'neuronInfo_getNeuron',
      'subnetInfo_getSubnetInfo', 'subnetInfo_getSubnetsInfo', 'subnetInfo_getSubnetHyperparams', 'subnetInfo_getLockCost',
      'delegateInfo_getDelegates', 'delegateInfo_getDelegate', 'delegateInfo_getDelegated', 'dev_newBlock',
    ]));
  });

  test('system_*: identity and status of a single development node', async () => {
    expect(await send('system_chain')).toBe('Tensornet Localnet');
    expect(await send('system_name')).toBe('tensornet-localnet');
    expect(await send('system_version')).toBe('0.1.0-test');
    expect(await send('system_properties')).toEqual({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' });
    expect(await send('system_health')).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false });
    expect(await send('system_chainType')).toBe('Development');
    expect(registry.createType<ChainType>('ChainType', await send('system_chainType')).isDevelopment).toBe(true);
    expect(await send('system_nodeRoles')).toEqual(['Authority']);
    expect(await send('system_peers')).toEqual([]);
    const peerId = await send('system_localPeerId');
    expect(peerId).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(await send('system_localPeerId')).toBe(peerId);
    expect(await send('system_syncState')).toEqual({ startingBlock: 0, currentBlock: 0, highestBlock: 0 });
  });

  test('system_accountNextIndex: the backend nonce; bad address → -32602', async () => {
    backend.nonces.set(ALICE, 5);
    expect(await send('system_accountNextIndex', [ALICE])).toBe(5);
    expect(await send('system_accountNextIndex', [encodeAddress(new Uint8Array(32).fill(2), 42)])).toBe(0);
    const err = await rejection(send('system_accountNextIndex', ['not-an-address']));
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('`account`');
  });

  test('chain_getBlockHash: best by default; number, hex and list inputs; unknown → null', async () => {
    const b1 = await backend.newBlock();
    const b2 = await backend.newBlock();
    expect(await send('chain_getBlockHash')).toBe(b2.hash);
    expect(await send('chain_getBlockHash', [null])).toBe(b2.hash);
    expect(await send('chain_getBlockHash', [0])).toBe(backend.genesisHash);
    expect(await send('chain_getBlockHash', ['0x1'])).toBe(b1.hash);
    expect(await send('chain_getBlockHash', [[0, '0x02', 99]])).toEqual([backend.genesisHash, b2.hash, null]);
    expect(await send('chain_getHead')).toBe(b2.hash);
    const err = await rejection(send('chain_getBlockHash', ['0x100000000']));
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('u32::MAX');
  });

  test('chain_getHeader: Substrate JSON that polkadot.js decodes back to the same hash', async () => {
    const block = await backend.newBlock();
    const header = (await send('chain_getHeader', [block.hash])) as Record<string, unknown>;
    expect(header).toEqual({
      parentHash: backend.genesisHash,
      number: '0x1',
      stateRoot: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      extrinsicsRoot: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      digest: { logs: [expect.stringMatching(/^0x0661757261/), expect.stringMatching(/^0x0561757261/)] },
    });
    expect(registry.createType('Header', header).hash.toHex()).toBe(block.hash);
    expect(await send('chain_getHeader')).toEqual(header);
    expect(await send('chain_getHeader', [`0x${'12'.repeat(32)}`])).toBeNull();
    expect(((await send('chain_getHeader', [backend.genesisHash])) as { number: string }).number).toBe('0x0');
  });

  test('chain_getBlock: header plus each extrinsic as hex; justifications null', async () => {
    const xt = testExtrinsic('transfer 1 TAO');
    await backend.submitExtrinsic(xt);
    const block = await backend.newBlock();
    const json = (await send('chain_getBlock', [block.hash])) as { block: { header: unknown; extrinsics: string[] }; justifications: unknown };
    expect(json.block.extrinsics).toEqual([u8aToHex(xt)]);
    expect(json.justifications).toBeNull();
    expect(json.block.header).toEqual(await send('chain_getHeader', [block.hash]));
    expect(await send('chain_getBlock')).toEqual(json);
    expect(await send('chain_getBlock', [`0x${'12'.repeat(32)}`])).toBeNull();
  });

  test('chain_getFinalizedHead: the finalized block', async () => {
    const block = await backend.newBlock();
    expect(await send('chain_getFinalizedHead')).toBe(block.hash);
    expect(await send('chain_getFinalisedHead')).toBe(block.hash);
  });

  test('state_getMetadata: the runtime metadata, decodable by polkadot.js', async () => {
    const hex = (await send('state_getMetadata')) as `0x${string}`;
    expect(hex).toBe(u8aToHex(backend.metadata()));
    expect(new Metadata(registry, hex).version).toBe(14);
    expect(await send('state_getMetadata', [backend.genesisHash])).toBe(hex);
    expect((await rejection(send('state_getMetadata', [`0x${'12'.repeat(32)}`]))).code).toBe(4003);
  });

  test('state_getRuntimeVersion (+ chain_getRuntimeVersion): Substrate JSON', async () => {
    const version = (await send('state_getRuntimeVersion')) as Record<string, unknown>;
    expect(version).toEqual({
      specName: 'node-subtensor',
      implName: 'node-subtensor',
      authoringVersion: 1,
      specVersion: 219,
      implVersion: 1,
      apis: expect.arrayContaining([[blake2AsHex('Core', 64), 4], [blake2AsHex('TransactionPaymentApi', 64), 4]]),
      transactionVersion: 1,
      stateVersion: 1,
    });
    expect(registry.createType<RuntimeVersion>('RuntimeVersion', version).specVersion.toNumber()).toBe(219);
    expect(await send('chain_getRuntimeVersion', [backend.genesisHash])).toEqual(version);
  });

  test('state_getStorage (+ At), state_getStorageHash, state_getStorageSize', async () => {
    const key = TEST_KEYS[2] as `0x${string}`;
    expect(await send('state_getStorage', [key])).toBe('0x020202');
    expect(await send('state_getStorageAt', [key, backend.genesisHash])).toBe('0x020202');
    expect(await send('state_getStorage', [`${TEST_PREFIX}ffffffff`])).toBeNull();
    expect(await send('state_getStorage', [key.toUpperCase().replace('0X', '0x')])).toBe('0x020202');
    backend.setStorage(key, new Uint8Array([9]));
    const block = await backend.newBlock();
    expect(await send('state_getStorage', [key])).toBe('0x09');
    expect(await send('state_getStorage', [key, backend.genesisHash])).toBe('0x020202');
    expect(await send('state_getStorage', [SYSTEM_NUMBER_KEY, block.hash])).toBe('0x01000000');
    expect(await send('state_getStorageHash', [key])).toBe(blake2AsHex(new Uint8Array([9]), 256));
    expect(await send('state_getStorageHash', ['0xdead'])).toBeNull();
    expect(await send('state_getStorageSize', [key])).toBe(1);
    expect(await send('state_getStorageSize', [TEST_PREFIX])).toBe(1 + 3 * 4);
    expect(await send('state_getStorageSize', ['0xdead'])).toBeNull();
  });

  test('state_getKeys, state_getKeysPaged: prefix listing and paging', async () => {
    expect(await send('state_getKeys', [TEST_PREFIX])).toEqual(TEST_KEYS);
    expect(await send('state_getKeysPaged', [TEST_PREFIX, 2])).toEqual(TEST_KEYS.slice(0, 2));
    expect(await send('state_getKeysPaged', [TEST_PREFIX, 2, TEST_KEYS[1]])).toEqual(TEST_KEYS.slice(2, 4));
    expect(await send('state_getKeysPaged', [TEST_PREFIX, 10, TEST_KEYS[4], backend.genesisHash])).toEqual([]);
    const all = (await send('state_getKeysPaged', [null, 100])) as string[];
    expect(all).toEqual([...TEST_KEYS, SYSTEM_NUMBER_KEY].sort());
    const err = await rejection(send('state_getKeysPaged', [TEST_PREFIX, STORAGE_KEYS_PAGED_MAX_COUNT + 1]));
    expect(err.code).toBe(4002);
    expect(err.message).toBe('4002: count exceeds maximum value. value: 1001, max: 1000');
  });

  test('state_queryStorageAt: the values of the keys at a block', async () => {
    const absent = `${TEST_PREFIX}ffffffff`;
    expect(await send('state_queryStorageAt', [[TEST_KEYS[0], absent]])).toEqual([
      { block: backend.genesisHash, changes: [[TEST_KEYS[0], '0x000000'], [absent, null]] },
    ]);
    const block = await backend.newBlock();
    expect(await send('state_queryStorageAt', [[SYSTEM_NUMBER_KEY], block.hash])).toEqual([
      { block: block.hash, changes: [[SYSTEM_NUMBER_KEY, '0x01000000']] },
    ]);
  });

  test('state_queryStorage: every key at `from`, then only blocks whose values differ; bad range → 4001', async () => {
    const absent = `${TEST_PREFIX}ffffffff` as HexKey;
    const keys = [TEST_KEYS[0] as HexKey, absent];
    const b1 = await backend.newBlock(); // writes System.Number only
    backend.setStorage(absent, new Uint8Array([0xaa]));
    const b2 = await backend.newBlock();
    backend.setStorage(absent, new Uint8Array([0xaa])); // written again, same value: not a change
    await backend.newBlock();
    backend.setStorage(TEST_KEYS[0] as HexKey, null);
    backend.setStorage(absent, new Uint8Array([0xbb]));
    const b4 = await backend.newBlock();
    expect(await send('state_queryStorage', [keys, b1.hash])).toEqual([
      { block: b1.hash, changes: [[TEST_KEYS[0], '0x000000'], [absent, null]] },
      { block: b2.hash, changes: [[absent, '0xaa']] },
      { block: b4.hash, changes: [[TEST_KEYS[0], null], [absent, '0xbb']] },
    ]);
    expect(await send('state_queryStorage', [keys, b2.hash, b2.hash])).toEqual([{ block: b2.hash, changes: [[TEST_KEYS[0], '0x000000'], [absent, '0xaa']] }]);
    const err = await rejection(send('state_queryStorage', [keys, b4.hash, b2.hash]));
    expect(err.code).toBe(4001);
    expect(err.message).toContain('from number > to number (4 > 2)');
    expect((await rejection(send('state_queryStorage', [keys, `0x${'ab'.repeat(32)}`]))).code).toBe(4003);
  });

  test('state_call: runtime API by name; unknown → 4003', async () => {
    const hex = (await send('state_call', ['Core_version', '0x'])) as string;
    const decoded = registry.createType<RuntimeVersion>('RuntimeVersion', hex);
    expect(decoded.specName.toString()).toBe('node-subtensor');
    expect(decoded.specVersion.toNumber()).toBe(219);
    expect(await send('state_call', ['Core_version', '0x', backend.genesisHash])).toBe(hex);
    const err = await rejection(send('state_call', ['Nope_nope', '0x']));
    expect(err.code).toBe(4003);
    expect(err.message).toBe('4003: Client error: Execution failed: Exported method Nope_nope is not found');
  });

  test('author_submitExtrinsic / author_pendingExtrinsics; rejection → 1010 Invalid Transaction', async () => {
    const xt = testExtrinsic('remark');
    const hash = await send('author_submitExtrinsic', [u8aToHex(xt)]);
    expect(hash).toBe(blake2AsHex(xt, 256));
    expect(await send('author_pendingExtrinsics')).toEqual([u8aToHex(xt)]);
    const bad = testExtrinsic('underfunded');
    backend.rejections.set(u8aToHex(bad), 'Inability to pay some fees (e.g. account balance too low)');
    const err = await rejection(send('author_submitExtrinsic', [u8aToHex(bad)]));
    expect(err.code).toBe(1010);
    expect(err.message).toBe('1010: Invalid Transaction: Inability to pay some fees , e.g. account balance too low');
    await backend.newBlock();
    expect(await send('author_pendingExtrinsics')).toEqual([]);
  });

  test('payment_queryInfo: RuntimeDispatchInfo as Substrate serializes it', async () => {
    const xt = testExtrinsic('a transfer of some length');
    const info = await send('payment_queryInfo', [u8aToHex(xt)]);
    expect(info).toEqual({
      weight: { refTime: 125_000_000 + xt.length * 1_000, proofSize: 1_000 + xt.length },
      class: 'normal',
      partialFee: String(2_000_000 + xt.length * 1_000),
    });
    const decoded = registry.createType<RuntimeDispatchInfoV2>('RuntimeDispatchInfoV2', info);
    expect(decoded.partialFee.toNumber()).toBe(2_000_000 + xt.length * 1_000);
    expect(decoded.class.isNormal).toBe(true);
    const err = await rejection(send('payment_queryInfo', [u8aToHex(xt), `0x${'12'.repeat(32)}`]));
    expect(err.code).toBe(1);
    expect(err.message).toMatch(/^1: Unable to query dispatch info.: UnknownBlock/);
  });

  test('subtensor custom RPCs: Vec<u8> as a JSON byte array', async () => {
    const bytes = (type: string, value: unknown): number[] => Array.from(registry.createType(type, value).toU8a());
    expect(await send('neuronInfo_getNeuronsLite', [1])).toEqual(bytes('Vec<Compact<u16>>', [0, 1, 2]));
    expect(await send('neuronInfo_getNeurons', [1, backend.genesisHash])).toEqual(bytes('Vec<Compact<u16>>', [0, 1, 2]));
    expect(await send('neuronInfo_getNeuronsLite', [9])).toEqual([0]);
    expect(await send('neuronInfo_getNeuronLite', [1, 2])).toEqual(bytes('(Compact<u16>, Compact<u16>)', [1, 2]));
    expect(await send('neuronInfo_getNeuron', [1, 2])).toEqual(bytes('(Compact<u16>, Compact<u16>)', [1, 2]));
    expect(await send('neuronInfo_getNeuron', [1, 7])).toEqual([]);
    expect(await send('subnetInfo_getSubnetInfo', [0])).toEqual(bytes('(Compact<u16>, Compact<u16>)', [0, 360]));
    expect(await send('subnetInfo_getSubnetInfo', [5])).toEqual([]);
    expect(await send('subnetInfo_getSubnetHyperparams', [1])).toEqual(bytes('(Compact<u16>, Compact<u16>)', [1, 360]));
    expect(await send('subnetInfo_getSubnetsInfo')).toEqual(bytes('Vec<Option<Compact<u16>>>', [0, 1]));
    expect(await send('subnetInfo_getLockCost')).toBe(1_000_000_000_000);
    expect(await send('delegateInfo_getDelegates')).toEqual([0]);
    const account = Array.from(new Uint8Array(32).fill(7));
    expect(await send('delegateInfo_getDelegate', [account])).toEqual([]);
    expect(await send('delegateInfo_getDelegated', [account])).toEqual([4, ...account]);
  });

  test('subtensor custom RPCs: errors as the node reports them', async () => {
    const badNetuid = await rejection(send('neuronInfo_getNeuronsLite', [-1]));
    expect(badNetuid.code).toBe(-32602);
    expect(badNetuid.message).toContain('`netuid`');
    const badVec = await rejection(send('delegateInfo_getDelegate', ['0x0707']));
    expect(badVec.code).toBe(-32602);
    expect(badVec.message).toContain('`delegate_account_vec`');
    const shortVec = await rejection(send('delegateInfo_getDelegate', [[1, 2, 3]]));
    expect(shortVec.code).toBe(-32602);
    const unknownBlock = await rejection(send('neuronInfo_getNeuronsLite', [1, `0x${'12'.repeat(32)}`]));
    expect(unknownBlock.code).toBe(1);
    expect(unknownBlock.message).toMatch(/^1: Unable to get neurons lite info.: UnknownBlock/);
    backend.faults.set('customRpc', new Error('runtime panicked'));
    const internal = await rejection(send('subnetInfo_getSubnetsInfo'));
    expect(internal.code).toBe(-32603);
    expect(internal.message).toBe('-32603: runtime panicked');
  });

  test('dev_newBlock: builds blocks and answers the last hash', async () => {
    const hash = await send('dev_newBlock');
    expect(hash).toBe(backend.bestBlock().hash);
    expect(backend.bestBlock().number).toBe(1);
    const last = await send('dev_newBlock', [{ count: 3 }]);
    expect(backend.bestBlock().number).toBe(4);
    expect(last).toBe(backend.bestBlock().hash);
    expect((await rejection(send('dev_newBlock', [{ count: 0 }]))).code).toBe(-32602);
    expect((await rejection(send('dev_newBlock', [{ blocks: 2 }]))).code).toBe(-32602);
  });
});

describe('rpc methods: wire details', () => {
  let backend: FakeChainBackend;
  let server: RpcServer;

  beforeEach(async () => {
    backend = new FakeChainBackend();
    server = await createRpcServer({ backend, port: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  test('subnetInfo_getLockCost: a u64 beyond 2^53 stays an exact JSON number', async () => {
    backend.lockCost = 2n ** 63n + 5n;
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method: 'subnetInfo_getLockCost', params: [] });
    expect(reply.text).toBe('{"jsonrpc":"2.0","id":1,"result":9223372036854775813}');
  });

  test('author_pendingExtrinsics without the optional backend extension: an empty pool', async () => {
    const plain = new FakeChainBackend();
    const bare = Object.create(plain, { pendingExtrinsics: { value: undefined } }) as FakeChainBackend;
    const other = await createRpcServer({ backend: bare, port: 0 });
    try {
      await plain.submitExtrinsic(testExtrinsic('x'));
      const reply = await postJson(other.httpUrl, { jsonrpc: '2.0', id: 1, method: 'author_pendingExtrinsics', params: [] });
      expect(reply.body).toEqual({ jsonrpc: '2.0', id: 1, result: [] });
    } finally {
      await other.close();
    }
  });
});
