import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NonceStore } from '../../miner/axon';

const S = 1_000_000_000n;
let dir: string;
let clock: bigint;
const now = () => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-nonces-'));
  clock = 1_750_000_000n * S;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('default: a fresh nonce is accepted, then must increase per key', () => {
  const store = NonceStore.open({ path: null, now });
  expect(store.check('a:u', clock)).toEqual({ ok: true });
  store.commit('a:u', clock);
  expect(store.check('a:u', clock)).toMatchObject({ ok: false, code: 'NonceReused' });
  expect(store.check('a:u', clock - 1n)).toMatchObject({ ok: false, code: 'NonceReused' });
  expect(store.check('a:u', clock + 1n)).toEqual({ ok: true });
  expect(store.check('a:other', clock - 1n)).toEqual({ ok: true });
});

test('error: the window applies to every request, not only the first per key', () => {
  const store = NonceStore.open({ path: null, now, maxAgeMs: 16_000, maxFutureMs: 4_000 });
  expect(store.check('k', clock - 17n * S)).toMatchObject({ ok: false, code: 'NonceTooOld' });
  expect(store.check('k', clock + 5n * S)).toMatchObject({ ok: false, code: 'NonceInFuture' });
  store.commit('k', clock - 10n * S);
  expect(store.check('k', clock - 17n * S)).toMatchObject({ ok: false, code: 'NonceTooOld' });
});

test('behavior: state survives a crash (no close) and a restart; a torn last line is ignored', () => {
  const path = join(dir, 'nonces');
  const first = NonceStore.open({ path, now });
  first.commit('a:u', clock);
  // No close(): as after kill -9, only what was written to the descriptor remains.
  appendFileSync(path, 'b:u 12');
  const second = NonceStore.open({ path, now });
  expect(second.check('a:u', clock)).toMatchObject({ ok: false, code: 'NonceReused' });
  expect(second.check('b:u', clock)).toEqual({ ok: true });
  second.close();
});

test('behavior: keys whose last nonce left the window are forgotten (memory and file stay bounded)', () => {
  const path = join(dir, 'nonces');
  const store = NonceStore.open({ path, now, maxAgeMs: 16_000 });
  for (let i = 0; i < 5000; i++) store.commit(`k${i}:u`, clock);
  clock += 20n * S;
  store.commit('fresh:u', clock);
  store.prune();
  expect(store.size).toBe(1);
  expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  // A forgotten key's old nonce is still refused, by the window.
  expect(store.check('k1:u', clock - 20n * S)).toMatchObject({ ok: false, code: 'NonceTooOld' });
  store.close();
});
