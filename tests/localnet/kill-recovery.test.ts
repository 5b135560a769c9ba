/**
 * Durability: a real `tensornet localnet` process under a load of signed transfers is killed with
 * SIGKILL; restarted on the same data dir, it holds every block it had reported finalized, bit for bit
 * (same hashes, hence same state roots, re-derived by replaying the block log), and keeps producing.
 */
import '@polkadot/api-augment';
import { ApiPromise, HttpProvider, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'bin', 'tensornet.js');

interface Node {
  readonly child: ChildProcess;
  readonly url: string;
}

function startNode(dataDir: string): Promise<Node> {
  const child = spawn(process.execPath, [CLI, 'localnet', '--data-dir', dataDir, '--port', '0', '--block-time', '150'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /(ws:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`localnet exited (${code}): ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

const dataDir = mkdtempSync(join(tmpdir(), 'tensornet-kill-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('behavior: kill -9 under load loses no finalized block', async () => {
  const first = await startNode(dataDir);
  const api = await ApiPromise.create({ provider: new WsProvider(first.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');

  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const finalized = new Map<number, string>();
  const unsub = await api.rpc.chain.subscribeFinalizedHeads((h) => {
    finalized.set(h.number.toNumber(), h.hash.toHex());
  });

  // A stream of signed transfers with explicit nonces (no waiting for inclusion).
  let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const submitted: Promise<unknown>[] = [];
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    submitted.push(api.tx.balances.transferKeepAlive(bob.address, 1_000_000n).signAndSend(alice, { nonce: nonce++ }).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.race([Promise.all(submitted), new Promise((r) => setTimeout(r, 500))]);
  first.child.kill('SIGKILL');
  await exited(first.child);
  unsub();
  await api.disconnect().catch(() => undefined);

  const reported = [...finalized.entries()].sort((a, b) => a[0] - b[0]);
  expect(reported.length).toBeGreaterThan(3);
  const lastReported = reported.at(-1)![0];

  const second = await startNode(dataDir);
  try {
    const http = new HttpProvider(second.url.replace('ws://', 'http://'));
    const best = Number((await http.send<{ number: string }>('chain_getHeader', [])).number);
    expect(best).toBeGreaterThanOrEqual(lastReported);
    for (const [number, hash] of reported) {
      expect([number, await http.send<string>('chain_getBlockHash', [number])]).toEqual([number, hash]);
    }
    // The replayed state holds exactly the transfers that were included: Bob gained 1e6 rao per Alice nonce used.
    const api2 = await ApiPromise.create({ provider: new WsProvider(second.url), noInitWarn: true });
    const included = (await api2.query.system.account(alice.address)).nonce.toNumber();
    expect(included).toBeGreaterThan(20);
    expect((await api2.query.system.account(bob.address)).data.free.toBigInt()).toBe(bobBefore + BigInt(included) * 1_000_000n);
    await api2.disconnect();
    // It keeps producing after the restart.
    const later = async (): Promise<number> => Number((await http.send<{ number: string }>('chain_getHeader', [])).number);
    const start = await later();
    await new Promise((r) => setTimeout(r, 600));
    expect(await later()).toBeGreaterThan(start);
    await http.disconnect();
  } finally {
    second.child.kill('SIGTERM');
    await exited(second.child);
  }
}, 60_000);
