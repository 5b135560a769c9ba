/**
 * `tensornet validator` through the CLI's own parser, in-process: the api-key commands (create shows the
 * secret once and stores only its hash; list; revoke) and the one-line user errors of the validator command.
 * (The validator running end to end as a process: tests/validator/restart.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/cli';
import type { CliIo } from '../../cli/io';

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

function captureIo(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-validator-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('api-key create, list and revoke: the secret is shown once and never stored', async () => {
  const file = join(dir, 'keys.json');
  const created = await cli(['validator', 'api-key', 'create', 'my-app', '--api-keys', file, '--requests-per-minute', '30', '--json']);
  expect(created.code).toBe(0);
  const { id, secret } = JSON.parse(created.out) as { id: string; secret: string };
  expect(secret).toMatch(new RegExp(`^tnk_${id}_`));
  // The random part is base64url, which may itself hold '_': everything after the `tnk_<id>_` prefix.
  expect(readFileSync(file, 'utf8')).not.toContain(secret.slice(`tnk_${id}_`.length));

  const listed = await cli(['validator', 'api-key', 'list', '--api-keys', file, '--json']);
  expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id, name: 'my-app', revoked: null, limits: expect.objectContaining({ requestsPerMinute: 30 }) })]);
  expect(listed.out).not.toContain('sha256');

  const revoked = await cli(['validator', 'api-key', 'revoke', id, '--api-keys', file]);
  expect(revoked).toMatchObject({ code: 0, out: `key ${id} (my-app) revoked\n` });
  const table = await cli(['validator', 'api-key', 'list', '--api-keys', file]);
  expect(table.out).toMatch(new RegExp(`${id}\\s+my-app\\s+\\S+\\s+revoked`));
});

test('user errors are one line with a non-zero exit', async () => {
  const file = join(dir, 'errors.json');
  const unknown = await cli(['validator', 'api-key', 'revoke', 'nope', '--api-keys', file]);
  expect(unknown.code).not.toBe(0);
  expect(unknown.err).toMatch(/^tensornet: api-key revoke: no API key has id "nope".*\n$/);
  const nameless = await cli(['validator', 'api-key', 'create', '--api-keys', file]);
  expect(nameless).toMatchObject({ code: 2, err: 'tensornet: api-key create needs a name, e.g. tensornet validator api-key create my-app\n' });
  const noNetuid = await cli(['validator', '--subnet', 'digits']);
  expect(noNetuid).toMatchObject({ code: 2, err: 'tensornet: --netuid is required (the subnet to validate)\n' });
  const badSubnet = await cli(['validator', '--netuid', '1', '--subnet', 'images']);
  expect(badSubnet.code).toBe(2);
  expect(badSubnet.err).toMatch(/^tensornet: --subnet: no mechanism "images": built in are digits, ocr/);
  const badAlpha = await cli(['validator', '--netuid', '1', '--subnet', 'digits', '--alpha', '2']);
  expect(badAlpha).toMatchObject({ code: 2, err: 'tensornet: --alpha must be in (0, 1] (got 2)\n' });
});
