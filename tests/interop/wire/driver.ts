/**
 * The wire interop run: the reference Python SDK's own axon and dendrite (imported from a source checkout
 * of opentensor/bittensor, unmodified) against tensornet's axon, protocol and dendrite, over real HTTP on
 * 127.0.0.1 with real sr25519 signatures and the real digits model.
 *
 *   npm run interop -- --bittensor-src DIR [--python python3] [--venv DIR] [--python-path DIR]... [--skip-install]
 *
 * Direction 1: the reference `Dendrite` queries a tensornet `Axon` serving the digits subnet's miner handler
 * (plus a slow, a failing and a streaming synapse). Direction 2: tensornet's `Dendrite` queries the reference
 * `Axon` (FastAPI under uvicorn, default verification on). Prints every check and a summary; exits 1 when
 * any check fails. See tests/interop/wire/README.md.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Tensor } from 'onnxruntime-node';
import { request as undiciRequest } from 'undici';
import { z } from 'zod';
import { keypairFromUri, walletCryptoReady } from '../../../chain-client/wallet';
import { Axon, type CallerInfo } from '../../../miner/axon';
import { InferenceEngine } from '../../../miner/engine';
import { buildRequest, defineSynapse, encodeTensor, PING_SYNAPSE, uuid1 } from '../../../protocol';
import { DigitClassification, DIGITS_MODEL_SPEC, digitsModelPath, digitsSubnet, IMAGE_SIDE, IMAGE_SIZE, loadDigits } from '../../../subnets/digits';
import { DigitSequence, digitSequenceSubnet } from '../../../subnets/digit-sequence';
import { minerHandlerOf, streamReaderOf } from '../../../subnets/sdk';
import { Dendrite, lineDecoder } from '../../../validator/dendrite';
import { silentLogger } from '../../../common/logger';

const HERE = __dirname.includes(`${join('dist', 'tests')}`) ? resolve(__dirname, '../../../../tests/interop/wire') : __dirname;
const REPO = resolve(HERE, '../../..');
const WORKER = resolve(REPO, 'dist/tests/interop/wire/sr25519-worker.js');

const KEYS = {
  tsMiner: '//InteropTensornetMiner',
  tsValidator: '//InteropTensornetValidator',
  pyMiner: '//InteropReferenceMiner',
  pyValidator: '//InteropReferenceValidator',
  stranger: '//InteropStranger',
  other: '//InteropSomeOtherAxon',
};
const TOKENS_N = 5;
const TOKENS_TEXT = Array.from({ length: TOKENS_N }, (_, i) => `token-${i}\n`).join('');

interface Options {
  readonly bittensorSrc: string;
  readonly python: string;
  readonly venv: string;
  readonly pythonPath: readonly string[];
  readonly skipInstall: boolean;
}

interface Check {
  readonly direction: string;
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const checks: Check[] = [];

function record(direction: string, name: string, ok: boolean, detail = ''): void {
  checks.push({ direction, name, ok, detail });
  process.stdout.write(`  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  — ${detail}` : ''}\n`);
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  let bittensorSrc: string | undefined;
  let python = 'python3';
  let venv = join(tmpdir(), 'tensornet-interop-venv');
  const pythonPath: string[] = [];
  let skipInstall = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--bittensor-src') bittensorSrc = resolve(value());
    else if (arg === '--python') python = value();
    else if (arg === '--venv') venv = resolve(value());
    else if (arg === '--python-path') pythonPath.push(resolve(value()));
    else if (arg === '--skip-install') skipInstall = true;
    else throw new UsageError(`unknown argument ${arg}`);
  }
  if (bittensorSrc === undefined) throw new UsageError('--bittensor-src DIR (a checkout of github.com/opentensor/bittensor) is required');
  if (!existsSync(join(bittensorSrc, 'bittensor', 'core', 'axon.py'))) throw new UsageError(`${bittensorSrc} has no bittensor/core/axon.py: not an opentensor/bittensor checkout`);
  return { bittensorSrc, python, venv, pythonPath, skipInstall };
}

function referenceIdentity(src: string): string {
  const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(src, 'pyproject.toml'), 'utf8'))?.[1] ?? 'unknown';
  let commit = 'not a git checkout';
  try {
    commit = execFileSync('git', ['-C', src, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // a plain source tree (e.g. an sdist or `git archive`): the version alone identifies it
  }
  return `bittensor ${version} (${commit}) at ${src}`;
}

/** The venv the harness runs in: created once, requirements installed again only when requirements.txt changes. */
function prepareVenv(options: Options): string {
  const python = join(options.venv, 'bin', 'python');
  if (!existsSync(python)) {
    process.stdout.write(`creating the Python venv ${options.venv}\n`);
    execFileSync(options.python, ['-m', 'venv', options.venv], { stdio: 'inherit' });
  }
  if (options.skipInstall) return python;
  const requirements = join(HERE, 'requirements.txt');
  const digest = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const marker = join(options.venv, '.tensornet-interop-requirements');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== digest) {
    process.stdout.write('installing the harness requirements (tests/interop/wire/requirements.txt)\n');
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--retries', '1', '-r', requirements], { stdio: 'inherit' });
    writeFileSync(marker, digest);
  }
  const env = pythonEnv(options);
  const importable = (module: string): boolean => {
    try {
      execFileSync(python, ['-c', `import ${module}`], { env, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!importable('msgpack_numpy')) {
    process.stdout.write('installing msgpack-numpy-opentensor (what bt.Tensor packs with)\n');
    try {
      execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--retries', '1', 'msgpack-numpy-opentensor==0.5.0'], { stdio: 'inherit' });
    } catch {
      throw new UsageError('msgpack_numpy is not importable and msgpack-numpy-opentensor==0.5.0 could not be installed: pass --python-path DIR, DIR holding msgpack_numpy.py (github.com/opentensor/msgpack-numpy)');
    }
  }
  return python;
}

function pythonEnv(options: Options): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYTHONPATH: [HERE, ...options.pythonPath, process.env['PYTHONPATH']].filter((p): p is string => !!p).join(delimiter),
    INTEROP_SR25519_WORKER: WORKER,
    PYTHONUNBUFFERED: '1',
  };
}

interface PythonRun {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: AsyncIterator<string>;
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

function startPython(python: string, options: Options, mode: 'dendrite' | 'axon', config: Record<string, unknown>, dir: string): PythonRun {
  const configPath = join(dir, `${mode}.json`);
  writeFileSync(configPath, JSON.stringify({ bittensorSrc: options.bittensorSrc, ...config }));
  const child = spawn(python, ['-m', 'harness', mode, configPath], { cwd: HERE, env: pythonEnv(options) });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, lines, stderr, exited };
}

/** Reads the harness's JSON lines: checks are recorded; returns the first line `stopAt` accepts (or null at the end). */
async function follow(run: PythonRun, direction: string, stopAt: (line: Record<string, unknown>) => boolean = () => false): Promise<Record<string, unknown> | null> {
  for (;;) {
    const next = await run.lines.next();
    if (next.done) return null;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(next.value) as Record<string, unknown>;
    } catch {
      process.stdout.write(`  (python) ${next.value}\n`);
      continue;
    }
    if (typeof line['check'] === 'string') record(direction, line['check'], line['ok'] === true, String(line['detail'] ?? ''));
    else if (line['reference'] !== undefined) process.stdout.write(`  reference loaded: ${JSON.stringify(line['reference'])}\n`);
    if (stopAt(line)) return line;
  }
}

/** The Python side's log (the reference's own error lines included), when a check of its direction failed. */
function showLogOnFailure(run: PythonRun, direction: string): void {
  if (checks.every((c) => c.direction !== direction || c.ok)) return;
  const lines = run.stderr.join('').split('\n');
  process.stdout.write(`  --- the Python side's log (last ${Math.min(lines.length, 60)} lines) ---\n${lines.slice(-60).join('\n')}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ------------------------------------------------------------------------------------------------
// tensornet's side

const Slow = defineSynapse({ name: 'Slow', request: { seconds: z.number() }, response: { done: z.boolean() } });
const Explode = defineSynapse({ name: 'Explode', request: { reason: z.string() }, response: {} });
const Tokens = defineSynapse({ name: 'Tokens', request: { n: z.number().int() }, response: { text: z.string() }, streaming: true });
const Unknown = defineSynapse({ name: 'Unknown', request: { anything: z.number().int() }, response: {} });

interface DigitFixture {
  readonly pixels: Float32Array;
  readonly probabilities: number[];
  readonly modelSha256: string;
  readonly engine: InferenceEngine;
}

async function digitFixture(): Promise<DigitFixture> {
  const engine = await InferenceEngine.load(digitsModelPath('mlp'), { device: 'cpu', worker: false, watch: false, spec: DIGITS_MODEL_SPEC, maxBatch: 1 });
  const { heldOut } = loadDigits();
  const pixels = heldOut.images.slice(0, IMAGE_SIZE);
  const results = await engine.run({ image: new Tensor('float32', pixels, [1, IMAGE_SIZE]) });
  return { pixels, probabilities: Array.from(results['probabilities']!.data as Float32Array), modelSha256: engine.model.sha256, engine };
}

/** A seeded mulberry32: the digit-sequence task is the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function directionOne(python: string, options: Options, dir: string, digits: DigitFixture): Promise<void> {
  const direction = 'reference dendrite → tensornet axon';
  process.stdout.write(`\n${direction}\n`);
  const validator = keypairFromUri(KEYS.pyValidator);
  const tsValidator = keypairFromUri(KEYS.tsValidator);
  const callers = new Map<string, CallerInfo>([
    [validator.address, { uid: 0, stake: 1000, validatorPermit: true }],
    [tsValidator.address, { uid: 1, stake: 1000, validatorPermit: true }],
  ]);
  const axon = new Axon({ hotkey: keypairFromUri(KEYS.tsMiner), callers: { lookup: (hotkey) => callers.get(hotkey) }, host: '127.0.0.1', port: 0, requireValidatorPermit: true });
  minerHandlerOf(digitsSubnet).attach(axon, { engine: digits.engine, logger: silentLogger, tier: 'mlp' });
  minerHandlerOf(digitSequenceSubnet).attach(axon, { engine: digits.engine, logger: silentLogger, tier: 'mlp' });
  axon.attach(Slow, async (_input, ctx) => {
    await new Promise<void>((done) => ctx.signal.addEventListener('abort', () => done(), { once: true }));
    return { done: false };
  });
  axon.attach(Explode, async (input) => {
    throw new Error(`exploding on purpose: ${input.reason}`);
  });
  axon.attach(Tokens, async function* (input) {
    for (let i = 0; i < input.n; i++) yield `token-${i}\n`;
  });
  await axon.start();
  try {
    // The digit-sequence stream as tensornet's own dendrite reads it: what the reference dendrite must read too.
    const task = digitSequenceSubnet.generateTask(seeded(7), {});
    const reader = streamReaderOf(digitSequenceSubnet);
    const own = new Dendrite({ hotkey: tsValidator });
    const ownStream = await own.stream({ ip: '127.0.0.1', port: axon.port, hotkey: axon.hotkey }, DigitSequence, task.request, { decoder: reader.decoder(), assemble: reader.assemble }).result;
    await own.close();
    record(direction, 'digit-sequence: tensornet’s own dendrite reads the stream (the expectation for the reference one)', ownStream.status === 'ok' && ownStream.chunks.length >= 1, `${ownStream.status} ${ownStream.code} ${ownStream.chunks.length} chunks, digits ${ownStream.response?.digits}`);
    const run = startPython(python, options, 'dendrite', {
      axon: { ip: '127.0.0.1', port: axon.port, hotkey: axon.hotkey },
      validatorUri: KEYS.pyValidator,
      validatorHotkey: validator.address,
      strangerUri: KEYS.stranger,
      otherHotkey: keypairFromUri(KEYS.other).address,
      digits: { image: Buffer.from(digits.pixels.buffer, digits.pixels.byteOffset, digits.pixels.byteLength).toString('base64'), shape: [IMAGE_SIDE, IMAGE_SIDE], probabilities: digits.probabilities, modelSha256: digits.modelSha256 },
      tokens: { n: TOKENS_N, expected: TOKENS_TEXT },
      digitSequence: { image: task.request.image, chunks: ownStream.chunks, digits: ownStream.response?.digits ?? null },
    }, dir);
    const done = await withTimeout(follow(run, direction, (line) => line['done'] === true), 180_000, 'the reference dendrite run');
    const code = await run.exited;
    record(direction, 'the reference dendrite harness exited cleanly', done !== null && code === 0, `exit ${code}`);
    showLogOnFailure(run, direction);
  } finally {
    await axon.stop(1000);
  }
}

async function directionTwo(python: string, options: Options, dir: string, digits: DigitFixture): Promise<void> {
  const direction = 'tensornet dendrite → reference axon';
  process.stdout.write(`\n${direction}\n`);
  const validator = keypairFromUri(KEYS.tsValidator);
  const run = startPython(python, options, 'axon', { minerUri: KEYS.pyMiner, allowedHotkeys: [validator.address], modelPath: digitsModelPath('mlp') }, dir);
  try {
    const ready = await withTimeout(follow(run, direction, (line) => line['ready'] === true || line['done'] === true), 120_000, 'starting the reference axon');
    if (ready === null || ready['ready'] !== true) {
      record(direction, 'the reference axon started', false, run.stderr.join('').split('\n').slice(-30).join('\n'));
      return;
    }
    const target = { ip: '127.0.0.1', port: Number(ready['port']), hotkey: String(ready['hotkey']) };
    const dendrite = new Dendrite({ hotkey: validator });
    const expectedOk = { count: 0 };
    try {
      const ping = await dendrite.query(target, PING_SYNAPSE, {});
      expectedOk.count++;
      record(direction, 'ping /Synapse: ok, 200', ping.status === 'ok' && ping.code === 200, `${ping.status} ${ping.code} ${ping.message}`);

      const image = encodeTensor({ dtype: 'float32', shape: [IMAGE_SIDE, IMAGE_SIDE], data: new Uint8Array(digits.pixels.buffer, digits.pixels.byteOffset, digits.pixels.byteLength) });
      const answer = await dendrite.query(target, DigitClassification, { image }, { timeoutS: 12 });
      expectedOk.count++;
      record(direction, 'digits: ok, 200 (the reference verified signature, nonce and body hash)', answer.status === 'ok' && answer.code === 200, `${answer.status} ${answer.code} ${answer.message}`);
      const probabilities = answer.response?.probabilities ?? [];
      const worst = probabilities.length === 10 ? Math.max(...probabilities.map((p, i) => Math.abs(p - digits.probabilities[i]!))) : Infinity;
      record(direction, 'digits: the Python model (onnxruntime on the decoded bt.Tensor) agrees with tensornet’s engine (|Δ| ≤ 1e-6)', worst <= 1e-6, `max |Δ| ${worst.toExponential(2)}`);
      record(direction, 'digits: model_sha256 is the served model’s', answer.response?.model_sha256 === digits.modelSha256 && ready['modelSha256'] === digits.modelSha256, String(answer.response?.model_sha256));
      const axonInfo = (answer.body?.['axon'] ?? {}) as Record<string, unknown>;
      record(
        direction,
        'digits: the answer carries the reference axon’s status, message and process_time',
        axonInfo['status_code'] === 200 && axonInfo['status_message'] === 'Success' && typeof axonInfo['process_time'] === 'number',
        JSON.stringify({ status_code: axonInfo['status_code'], status_message: axonInfo['status_message'], process_time: axonInfo['process_time'] }),
      );

      const burst = await dendrite.forward(Array.from({ length: 8 }, () => target), DigitClassification, { image });
      expectedOk.count += 8;
      const statuses = burst.map((r) => r.code);
      record(direction, 'digits: 8 concurrent queries to one reference axon all succeed (one uuid lane each)', statuses.every((c) => c === 200), statuses.join(','));

      const stranger = new Dendrite({ hotkey: keypairFromUri(KEYS.stranger) });
      const refused = await stranger.query(target, DigitClassification, { image });
      await stranger.close();
      record(direction, 'refusal: the reference blacklist gives 403 "Forbidden. Key is blacklisted: …", read as refused', refused.status === 'refused' && refused.code === 403 && refused.message.startsWith('Forbidden. Key is blacklisted'), `${refused.status} ${refused.code} ${refused.message}`);

      const unknown = await dendrite.query(target, Unknown, { anything: 1 });
      record(direction, 'refusal: an unknown synapse gives 404, read as refused', unknown.status === 'refused' && unknown.code === 404, `${unknown.status} ${unknown.code} ${unknown.message.slice(0, 120)}`);

      const wrong = await dendrite.query({ ...target, hotkey: keypairFromUri(KEYS.other).address }, DigitClassification, { image });
      record(direction, 'refusal: a request signed for another axon fails the reference verification (401)', wrong.status === 'refused' && wrong.code === 401 && wrong.message.includes('Signature mismatch'), `${wrong.status} ${wrong.code} ${wrong.message.slice(0, 100)}`);

      const slow = await dendrite.query(target, Slow, { seconds: 5 }, { timeoutS: 1 });
      record(direction, 'timeout: a reference handler running past the timeout is a 408 timeout', slow.status === 'timeout' && slow.code === 408, `${slow.status} ${slow.code} ${slow.message}`);

      const call = dendrite.stream(target, Tokens, { n: TOKENS_N }, { decoder: lineDecoder(), assemble: (lines) => ({ text: lines.map((line) => `${line}\n`).join('') }) });
      const arrived: string[] = [];
      for await (const chunk of call) arrived.push(chunk);
      const streamed = await call.result;
      record(direction, 'stream: the reference StreamingSynapse’s chunks arrive in order, ok 200', streamed.status === 'ok' && streamed.code === 200 && arrived.join('\n') === TOKENS_TEXT.trimEnd(), `${streamed.status} ${streamed.code} ${JSON.stringify(arrived)}`);
      record(
        direction,
        'stream: text/event-stream with the reference’s bt_header_axon_status_code 200, assembled into the response',
        (streamed.headers['content-type'] ?? '').startsWith('text/event-stream') && streamed.headers['bt_header_axon_status_code'] === '200' && streamed.response?.text === TOKENS_TEXT,
        `${streamed.headers['content-type']} status ${streamed.headers['bt_header_axon_status_code']}`,
      );
      expectedOk.count++;

      // A correctly signed request whose body was changed after signing.
      const signed = buildRequest({ synapse: DigitClassification, input: { image }, hotkey: validator, axon: target, uuid: uuid1() });
      const tampered = signed.body.replace(/"dtype":"float32"/, '"dtype":"float64"');
      const reply = await undiciRequest(signed.url, { method: 'POST', headers: { ...signed.headers, 'content-type': 'application/json' }, body: tampered });
      const replyText = await reply.body.text();
      record(direction, 'tamper: the reference axon refuses a body that no longer matches the signed body hash', reply.statusCode !== 200 && tampered !== signed.body, `HTTP ${reply.statusCode} ${replyText.slice(0, 100)}`);
    } finally {
      await dendrite.close();
    }
    run.child.stdin.end();
    const report = await withTimeout(follow(run, direction, (line) => line['report'] !== undefined || line['done'] === true), 30_000, 'stopping the reference axon');
    const seen = (report?.['report'] ?? {}) as { forward?: number; verified?: number; verify_failures?: string[]; nonce_keys?: string[]; signatures?: { verify_true?: number } };
    const failures = seen.verify_failures ?? [];
    const unexpected = failures.filter((f) => !f.startsWith('Signature mismatch'));
    record(direction, 'reference verification: every ok request verified with a real signature, the only failure the wrong-axon one', (seen.verified ?? 0) >= expectedOk.count && failures.length === 1 && unexpected.length === 0, `verified ${seen.verified}, failures ${JSON.stringify(failures)}`);
    record(direction, 'reference verification: the sr25519 verifier accepted the signatures', (seen.signatures?.verify_true ?? 0) >= expectedOk.count, JSON.stringify(seen.signatures));
    record(direction, 'reference nonces: the concurrent queries arrived on several (hotkey, uuid) lanes', (seen.nonce_keys ?? []).filter((k) => k.startsWith(validator.address)).length >= 2, `${(seen.nonce_keys ?? []).length} keys`);
    await withTimeout(follow(run, direction, (line) => line['done'] === true), 10_000, 'the reference axon harness');
    const code = await run.exited;
    record(direction, 'the reference axon harness exited cleanly', code === 0, `exit ${code}`);
    showLogOnFailure(run, direction);
  } finally {
    if (run.child.exitCode === null) run.child.kill();
  }
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`interop: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (!existsSync(WORKER)) {
    process.stderr.write(`interop: ${WORKER} is missing; run it through \`npm run interop\`, which compiles it\n`);
    return 2;
  }
  process.stdout.write(`reference: ${referenceIdentity(options.bittensorSrc)}\n`);
  let python: string;
  try {
    python = prepareVenv(options);
  } catch (err) {
    process.stderr.write(`interop: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  await walletCryptoReady();
  const dir = mkdtempSync(join(tmpdir(), 'tensornet-interop-'));
  const digits = await digitFixture();
  try {
    await directionOne(python, options, dir, digits);
    await directionTwo(python, options, dir, digits);
  } catch (err) {
    record('driver', 'the interop driver ran to the end', false, err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await digits.engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = checks.filter((c) => !c.ok);
  process.stdout.write(`\nsummary: ${checks.length - failed.length}/${checks.length} checks passed\n`);
  for (const direction of [...new Set(checks.map((c) => c.direction))]) {
    const of = checks.filter((c) => c.direction === direction);
    process.stdout.write(`  ${direction}: ${of.filter((c) => c.ok).length}/${of.length}\n`);
  }
  for (const c of failed) process.stdout.write(`  FAILED [${c.direction}] ${c.name}${c.detail ? ` — ${c.detail}` : ''}\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`interop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
