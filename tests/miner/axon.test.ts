/**
 * The axon over real HTTP on 127.0.0.1 with real sr25519 signatures: what it serves, and every refusal
 * with its status and body — the handler never runs for a refused request (counted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { z } from 'zod';
import { Axon, type CallerDirectory, type CallerInfo } from '../../miner/axon';
import { defineSynapse, PING_SYNAPSE, PROTOCOL_VERSION, timeNs, uuid1 } from '../../protocol';
import { keys, send, signed } from './axon-client';

const Dummy = defineSynapse({ name: 'Dummy', request: { dummy_input: z.number().int() }, response: { dummy_output: z.number().int() } });
const Echo = defineSynapse({ name: 'Echo', request: { text: z.string(), scale: z.number(), tags: z.array(z.string()) }, response: { echo: z.string() } });

let calls = 0;
let dir: string;
let axon: Axon;
let port: number;
let minerHotkey: string;

function directory(): CallerDirectory {
  const table = new Map<string, CallerInfo>([
    [keys.high().address, { uid: 0, stake: 1000, validatorPermit: true }],
    [keys.low().address, { uid: 1, stake: 10, validatorPermit: true }],
    [keys.noPermit().address, { uid: 2, stake: 5, validatorPermit: false }],
  ]);
  return { lookup: (hotkey) => table.get(hotkey) };
}

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-axon-'));
  axon = new Axon({ hotkey: keys.miner(), callers: directory(), host: '127.0.0.1', port: 0, requireValidatorPermit: true, maxBodyBytes: 4096, nonceFile: join(dir, 'nonces') });
  axon.attach(Dummy, async (input) => {
    calls++;
    return { dummy_output: input.dummy_input * 2 };
  });
  axon.attach(Echo, async (input) => {
    calls++;
    return { echo: `${input.text}×${input.scale}` };
  });
  await axon.start();
  port = axon.port;
  minerHotkey = axon.hotkey;
});

afterAll(async () => {
  await axon.stop();
  rmSync(dir, { recursive: true, force: true });
});

const dummy = (overrides: { hotkey?: ReturnType<typeof keys.high>; axonHotkey?: string; nonce?: bigint; input?: number } = {}) =>
  signed(port, { synapse: Dummy, input: { dummy_input: overrides.input ?? 21 }, hotkey: overrides.hotkey ?? keys.high(), axonHotkey: overrides.axonHotkey ?? minerHotkey, ...(overrides.nonce ? { nonce: overrides.nonce } : {}) });

async function refused(req: ReturnType<typeof dummy>, changes: Parameters<typeof send>[1], status: number, code: string, message?: RegExp): Promise<void> {
  const before = calls;
  const reply = await send(req, changes);
  expect({ status: reply.status, code: reply.json['code'] }).toEqual({ status, code });
  expect(typeof reply.json['message']).toBe('string');
  if (message) expect(reply.json['message']).toMatch(message);
  expect(reply.headers.get('content-type')).toMatch(/application\/json/);
  expect(reply.headers.get('bt_header_axon_status_code')).toBe(String(status));
  expect(calls).toBe(before);
}

describe('default', () => {
  test('a signed request is served: body, status and headers satisfy the reference dendrite', async () => {
    const req = dummy();
    const reply = await send(req);
    expect(reply.status).toBe(200);
    expect(reply.json['dummy_output']).toBe(42);
    expect(reply.json['dummy_input']).toBe(21);
    expect(reply.json['name']).toBe('Dummy');
    const axonInfo = reply.json['axon'] as Record<string, unknown>;
    expect(axonInfo['status_code']).toBe(200);
    expect(axonInfo['status_message']).toBe('Success');
    expect(axonInfo['hotkey']).toBe(minerHotkey);
    expect(typeof axonInfo['process_time']).toBe('number');
    expect(reply.headers.get('bt_header_axon_status_code')).toBe('200');
    expect(reply.headers.get('bt_header_axon_status_message')).toBe('Success');
    expect(reply.headers.get('bt_header_dendrite_hotkey')).toBe(keys.high().address);
    expect(reply.headers.get('bt_header_input_obj_dummy_input')).toBe('MA==');
    expect(reply.headers.get('computed_body_hash')).toBe(req.bodyHash);
    // The nonce (ns since the epoch, beyond 2^53) comes back digit for digit in the JSON body.
    expect(reply.text).toContain(`"nonce":${req.nonce}`);
    expect(reply.headers.get('bt_header_dendrite_nonce')).toBe(String(req.nonce));
  });

  test('the /Synapse ping answers a signed request', async () => {
    const req = signed(port, { synapse: PING_SYNAPSE, input: {}, hotkey: keys.high(), axonHotkey: minerHotkey });
    const reply = await send(req);
    expect(reply.status).toBe(200);
    expect((reply.json['axon'] as Record<string, unknown>)['status_code']).toBe(200);
  });

  test('hashed float and list fields follow Python str() rules', async () => {
    const req = signed(port, { synapse: Echo, input: { text: 'héllo', scale: 1, tags: ['a', "b'c"] }, hotkey: keys.high(), axonHotkey: minerHotkey });
    const reply = await send(req);
    expect(reply.status).toBe(200);
    expect(reply.json['echo']).toBe('héllo×1');
  });
});

describe('error: authentication (401)', () => {
  test('unsigned', () => refused(dummy(), { headers: { bt_header_dendrite_signature: null } }, 401, 'MissingSignature', /^Not Verified with error: Missing signature/));
  test('empty signature', () => refused(dummy(), { headers: { bt_header_dendrite_signature: '' } }, 401, 'MissingSignature'));
  test('spoofed hotkey: a stranger signs, the header names an allowed caller', async () => {
    const req = dummy({ hotkey: keys.stranger() });
    await refused(req, { headers: { bt_header_dendrite_hotkey: keys.high().address } }, 401, 'SignatureMismatch', /^Not Verified with error: Signature mismatch with /);
  });
  test('forged signature', async () => {
    const req = dummy();
    const sig = req.headers['bt_header_dendrite_signature']!;
    const forged = `${sig.slice(0, 10)}${sig[10] === '0' ? '1' : '0'}${sig.slice(11)}`;
    await refused(req, { headers: { bt_header_dendrite_signature: forged } }, 401, 'SignatureMismatch');
  });
  test('signed for another axon', async () => {
    const other = keys.stranger().address;
    await refused(dummy({ axonHotkey: other }), {}, 401, 'WrongAxon', new RegExp(`addressed to axon ${other}`));
    // Without the axon header the signature still covers this axon's hotkey, so it fails.
    await refused(dummy({ axonHotkey: other }), { headers: { bt_header_axon_hotkey: null } }, 401, 'SignatureMismatch');
  });
  test('replayed', async () => {
    const req = dummy();
    expect((await send(req)).status).toBe(200);
    await refused(req, {}, 401, 'NonceReused', /a newer one was last processed/);
  });
  test('an older nonce after a newer one from the same dendrite', async () => {
    const uuid = uuid1();
    const first = signed(port, { synapse: Dummy, input: { dummy_input: 1 }, hotkey: keys.high(), axonHotkey: minerHotkey, uuid });
    const second = signed(port, { synapse: Dummy, input: { dummy_input: 1 }, hotkey: keys.high(), axonHotkey: minerHotkey, uuid });
    expect((await send(second)).status).toBe(200);
    await refused(first, {}, 401, 'NonceReused');
  });
  const stale = () => dummy({ nonce: timeNs() - 30_000_000_000n });
  test('stale nonce', () => refused(stale(), {}, 401, 'NonceTooOld', /^Not Verified with error: Nonce is too old: acceptable delta is 16\.00 seconds but request was 30\.\d\d seconds old$/));
  test('stale nonce without the version header (no older rule)', () => refused(stale(), { headers: { bt_header_dendrite_version: null } }, 401, 'NonceTooOld'));
  test('stale nonce with an inflated (unsigned) timeout header', () => refused(stale(), { headers: { timeout: '3600.0' } }, 401, 'NonceTooOld'));
  test('nonce from the future', () => refused(dummy({ nonce: timeNs() + 60_000_000_000n }), {}, 401, 'NonceInFuture'));
  test('missing nonce', () => refused(dummy(), { headers: { bt_header_dendrite_nonce: null } }, 401, 'MissingHeader', /Missing Nonce/));
  test('missing body hash', () => refused(dummy(), { headers: { computed_body_hash: null } }, 401, 'MissingHeader'));
  test('malformed timeout', () => refused(dummy(), { headers: { timeout: 'soon' } }, 400, 'InvalidHeader'));
});

describe('error: callers (403)', () => {
  test('unregistered caller', () => refused(dummy({ hotkey: keys.stranger() }), {}, 403, 'Blacklisted', /^Forbidden\. Key is blacklisted: Unrecognized hotkey/));
  test('caller without a validator permit', () => refused(dummy({ hotkey: keys.noPermit() }), {}, 403, 'Blacklisted', /Non-validator hotkey/));
});

describe('error: body', () => {
  test('tampered hashed field', async () => {
    const req = dummy({ input: 21 });
    await refused(req, { body: req.body.replace('"dummy_input":21', '"dummy_input":22') }, 400, 'BodyHashMismatch', /^Hash mismatch between header body hash/);
  });
  test('a field the synapse does not have', async () => {
    const req = dummy();
    await refused(req, { body: req.body.replace(/}$/, ',"injected":1}') }, 400, 'InvalidBody', /Dummy\.injected: not a field/);
  });
  test('schema violation names the field', async () => {
    const req = dummy();
    await refused(req, { body: req.body.replace('"dummy_input":21', '"dummy_input":"x"') }, 400, 'InvalidBody', /^Dummy\.dummy_input: /);
  });
  test('not JSON', () => refused(dummy(), { body: '{nope' }, 400, 'InvalidBody'));
  test('oversized', async () => {
    const req = signed(port, { synapse: Echo, input: { text: 'x'.repeat(5000), scale: 1, tags: [] }, hotkey: keys.high(), axonHotkey: minerHotkey });
    await refused(req, {}, 413, 'PayloadTooLarge');
  });
  test('unknown route', async () => {
    const req = dummy();
    const reply = await send({ ...req, url: req.url.replace('/Dummy', '/Nope') });
    expect(reply.status).toBe(404);
    expect(reply.json['message']).toBe("Synapse name 'Nope' not found. Available synapses ['Synapse', 'Dummy', 'Echo']");
  });
});

describe('behavior: the version header is informational', () => {
  test('a request from a newer dendrite version is served', async () => {
    const req = signed(port, { synapse: Dummy, input: { dummy_input: 2 }, hotkey: keys.high(), axonHotkey: minerHotkey, version: PROTOCOL_VERSION + 1000 });
    expect((await send(req)).status).toBe(200);
  });
});

describe('behavior: nonces survive a restart', () => {
  test('a request served before a restart is refused as a replay after it', async () => {
    const file = join(dir, 'restart-nonces');
    const make = () => new Axon({ hotkey: keys.miner(), callers: directory(), host: '127.0.0.1', port: 0, nonceFile: file }).attach(Dummy, async (i) => ({ dummy_output: i.dummy_input }));
    const first = await make().start();
    const req = signed(first.port, { synapse: Dummy, input: { dummy_input: 5 }, hotkey: keys.high(), axonHotkey: first.hotkey });
    expect((await send(req)).status).toBe(200);
    const firstPort = first.port;
    await first.stop();
    const second = await make().start();
    try {
      const replay = await send({ ...req, url: req.url.replace(`:${firstPort}/`, `:${second.port}/`) });
      expect({ status: replay.status, code: replay.json['code'] }).toEqual({ status: 401, code: 'NonceReused' });
    } finally {
      await second.stop();
    }
  });
});
