/**
 * The API key store on real files: secrets shown once and never written, constant-time verification,
 * revocation, atomic writes, a second store (the CLI in another process) seen by the running one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyError, ApiKeyStore, createApiKey, defaultApiKeyFile, formatApiKeyList, listApiKeys, revokeApiKey } from '../../validator/api';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-api-keys-'));
  file = join(dir, 'nested', 'api-keys.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiKeyError) return err.code;
    throw err;
  }
  return undefined;
}

test('a created key verifies; the file holds its SHA-256, never the secret, with mode 0600 and no temporary file left', () => {
  const store = ApiKeyStore.open(file);
  expect(store.list()).toEqual([]);
  const { id, secret, record } = store.create('dashboard', { requestsPerDay: 100 });
  expect(secret).toMatch(new RegExp(`^tnk_${id}_[A-Za-z0-9_-]{43}$`));
  expect(record).toMatchObject({ id, name: 'dashboard', revoked: null, limits: { requestsPerDay: 100 } });
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain(secret);
  expect(text).not.toContain(secret.slice(-43));
  expect(text).toContain(createHash('sha256').update(secret).digest('hex'));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(join(dir, 'nested'))).toEqual(['api-keys.json']);
  expect(store.verify(secret)).toEqual(record);
  // One character off, the id of another key, junk: all refused.
  const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
  expect(store.verify(flipped)).toBeNull();
  expect(store.verify(`tnk_000000000000_${secret.slice(-43)}`)).toBeNull();
  expect(store.verify('')).toBeNull();
  expect(store.verify(createHash('sha256').update(secret).digest('hex'))).toBeNull();
});

test('revoking: the key stops verifying, stays listed with the time; a store opened earlier sees it without reopening', () => {
  const running = ApiKeyStore.open(file);
  const a = createApiKey(file, 'a');
  const b = createApiKey(file, 'b');
  // `running` was opened before either key existed: it reloads the changed file.
  expect(running.verify(a.secret)?.id).toBe(a.id);
  const revoked = revokeApiKey(file, a.id);
  expect(revoked.revoked).not.toBeNull();
  expect(running.verify(a.secret)).toBeNull();
  expect(running.verify(b.secret)?.id).toBe(b.id);
  expect(revokeApiKey(file, a.id)).toEqual(revoked);
  expect(listApiKeys(file).map((r) => [r.name, r.revoked === null])).toEqual([['a', false], ['b', true]]);
  expect(codeOf(() => revokeApiKey(file, 'ffffffffffff'))).toBe('UnknownKey');
  const table = formatApiKeyList(listApiKeys(file));
  expect(table.split('\n')).toHaveLength(3);
  expect(table).toContain(`revoked ${revoked.revoked}`);
  expect(table).not.toContain(a.record.sha256);
  expect(formatApiKeyList([])).toMatch(/^no API keys/);
});

test('bad names, bad limits and a corrupt file are typed errors; a corrupt file does not unseat the keys already loaded', () => {
  const store = ApiKeyStore.open(file);
  expect(codeOf(() => store.create(''))).toBe('InvalidKeyName');
  expect(codeOf(() => store.create('x'.repeat(65)))).toBe('InvalidKeyName');
  expect(codeOf(() => store.create('tab\there'))).toBe('InvalidKeyName');
  expect(codeOf(() => store.create('n', { requestsPerMinute: 0 }))).toBe('InvalidLimits');
  expect(codeOf(() => store.create('n', { requestsPerDay: 1.5 }))).toBe('InvalidLimits');
  const { secret } = store.create('kept');
  writeFileSync(file, '{"version": 1, "keys": [{"id": "nope"}]}');
  expect(codeOf(() => ApiKeyStore.open(file))).toBe('InvalidKeyFile');
  expect(store.verify(secret)?.name).toBe('kept');
  writeFileSync(file, 'not json');
  expect(codeOf(() => listApiKeys(file))).toBe('InvalidKeyFile');
  expect(codeOf(() => createApiKey(file, 'y'))).toBe('InvalidKeyFile');
  expect(readFileSync(file, 'utf8')).toBe('not json');
  expect(defaultApiKeyFile('/home/v')).toBe('/home/v/.tensornet/validator/api-keys.json');
});
