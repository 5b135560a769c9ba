/**
 * A TCP proxy on 127.0.0.1:0 in front of a real server, to cut connections (reconnect tests) or
 * swallow traffic (timeout tests) without touching the server.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly url: string;
  /** Destroys every open connection (the client sees the socket drop). */
  dropAll(): void;
  /** While true, bytes from clients are swallowed: requests never reach the server. */
  blackhole: boolean;
  /** While true, new connections are closed at once (the server looks down). */
  reject: boolean;
  /** Times (Date.now()) at which connections arrived. */
  readonly accepted: number[];
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const state = { blackhole: false, reject: false };
  const accepted: number[] = [];
  const server: Server = createServer((client) => {
    accepted.push(Date.now());
    if (state.reject) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk) => {
      if (!state.blackhole) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    dropAll: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    get blackhole() {
      return state.blackhole;
    },
    set blackhole(value: boolean) {
      state.blackhole = value;
    },
    get reject() {
      return state.reject;
    },
    set reject(value: boolean) {
      state.reject = value;
    },
    accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Counts of active libuv resources (sockets, timers) by type. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/** Polls `check` every 10 ms until it holds or `ms` pass. */
export async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
