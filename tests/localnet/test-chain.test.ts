/** The in-process harness itself: signed calls, failures with pallet error names, sudo. */
import { runtimeItems } from '../../localnet/runtime/items';
import { TestChain } from './helpers/test-chain';

let t: TestChain;
beforeAll(async () => {
  t = await TestChain.start();
});
afterAll(async () => {
  await t.close();
});

test('default: a transfer succeeds and moves the balance', async () => {
  const bob = t.account('//Bob');
  const before = t.query(runtimeItems().System.Account, bob).data.free;
  const r = await t.send('//Alice', 'Balances', 'transfer_keep_alive', { dest: { Id: bob }, value: 1_000_000n });
  expect(r.error).toBeNull();
  expect(r.events).toEqual(['Balances.Withdraw', 'Balances.Transfer', 'TransactionPayment.TransactionFeePaid', 'System.ExtrinsicSuccess']);
  expect(t.query(runtimeItems().System.Account, bob).data.free - before).toBe(1_000_000n);
});

test('error: an overdraft fails with Token.FundsUnavailable and changes nothing but nonce and fee', async () => {
  const r = await t.send('//Bob', 'Balances', 'transfer_allow_death', { dest: { Id: t.account('//Charlie') }, value: 10n ** 18n });
  expect(r.error).toBe('Token.FundsUnavailable');
  expect(r.events.at(-1)).toBe('System.ExtrinsicFailed');
});

test('behavior: sudo runs as root and only for the sudo key', async () => {
  const dave = t.account('//Dave');
  const ok = await t.sudo('Balances', 'force_set_balance', { who: { Id: dave }, new_free: 5_000_000_000n });
  expect(ok.error).toBeNull();
  expect(t.query(runtimeItems().System.Account, dave).data.free).toBe(5_000_000_000n);
  const { registry } = t.chain.runtime.meta;
  const call = registry.createType('Call', { callIndex: t.chain.runtime.meta.callIndex('Balances', 'force_set_balance'), args: { who: { Id: dave }, new_free: 1n } });
  const denied = await t.send('//Bob', 'Sudo', 'sudo', { call });
  expect(denied.error).toBe('Sudo.RequireSudo');
});

test('error: a call localnet does not implement is refused at submission', async () => {
  const bytes = t.extrinsic('//Alice', 'Multisig', 'as_multi_threshold_1', { other_signatories: [], call: t.chain.runtime.meta.registry.createType('Call', { callIndex: t.chain.runtime.meta.callIndex('System', 'remark'), args: { remark: '0x00' } }) });
  await expect(t.chain.submitExtrinsic(bytes)).rejects.toThrow('localnet does not implement Multisig.as_multi_threshold_1');
});

test('behavior: setStorage writes through sudo System.set_storage', async () => {
  const { st } = await import('../../localnet/runtime/pallets/subtensor/items');
  await t.setStorage(st().Tempo, 0, 7);
  expect(t.query(st().Tempo, 0)).toBe(7);
});

test('behavior: addNetwork initializes a subnet like register_network', async () => {
  const { st } = await import('../../localnet/runtime/pallets/subtensor/items');
  await t.addNetwork(3, { tempo: 10, owner: '//Bob' });
  expect(t.query(st().NetworksAdded, 3)).toBe(true);
  expect(t.query(st().Tempo, 3)).toBe(10);
  expect(t.query(st().TotalNetworks)).toBe(2);
  expect(t.query(st().SubnetOwner, 3)).toBe(t.account('//Bob'));
});

test('error: a tampered signature or a wrong genesis hash is rejected at submission', async () => {
  const bytes = t.extrinsic('//Alice', 'System', 'remark', { remark: '0x01' });
  const tampered = bytes.slice();
  tampered[tampered.length - 10]! ^= 0xff;
  await expect(t.chain.submitExtrinsic(tampered)).rejects.toThrow(/bad signature|could not decode/);
  const { registry } = t.chain.runtime.meta;
  const ext = registry.createType('Extrinsic', registry.createType('Call', { callIndex: t.chain.runtime.meta.callIndex('System', 'remark'), args: { remark: '0x01' } }));
  const wrong = `0x${'22'.repeat(32)}`;
  ext.sign(t.pair('//Alice'), { blockHash: wrong, genesisHash: wrong, nonce: t.chain.accountNextIndex(t.pair('//Alice').address), runtimeVersion: { specVersion: 219, transactionVersion: 1 } as never, era: 0 as never });
  await expect(t.chain.submitExtrinsic(ext.toU8a())).rejects.toThrow('bad signature');
});

test('error: stale and far-future nonces are rejected', async () => {
  const alice = t.pair('//Alice').address;
  const next = t.chain.accountNextIndex(alice);
  await expect(t.chain.submitExtrinsic(t.extrinsic('//Alice', 'System', 'remark', { remark: '0x02' }, 0))).rejects.toThrow(/outdated|stale/i);
  await expect(t.chain.submitExtrinsic(t.extrinsic('//Alice', 'System', 'remark', { remark: '0x03' }, next + 1000))).rejects.toThrow(/ahead/);
});
