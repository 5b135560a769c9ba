/**
 * Test helper: signed requests to an axon over real HTTP on loopback, built by the protocol's reference
 * request builder (as the Python dendrite builds them), with knobs to break them.
 */
import { keypairFromUri, type Keypair } from '../../chain-client/wallet';
import { buildRequest, uuid1, type BuildRequestParameters, type SignedRequest } from '../../protocol';
import type { z } from 'zod';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export const keys = {
  miner: (): Keypair => keypairFromUri('//TestMiner'),
  high: (): Keypair => keypairFromUri('//ValidatorHigh'),
  low: (): Keypair => keypairFromUri('//ValidatorLow'),
  noPermit: (): Keypair => keypairFromUri('//NoPermit'),
  stranger: (): Keypair => keypairFromUri('//Stranger'),
};

export function signed<Req extends z.ZodRawShape>(port: number, params: Omit<BuildRequestParameters<Req>, 'axon' | 'uuid'> & { axonHotkey: string; uuid?: string }): SignedRequest {
  return buildRequest({ ...params, uuid: params.uuid ?? uuid1(), axon: { ip: '127.0.0.1', port, hotkey: params.axonHotkey } } as BuildRequestParameters<Req>);
}

/** Sends `req`, with headers changed (`null` removes one) and optionally another body. */
export async function send(req: SignedRequest, changes: { headers?: Record<string, string | null>; body?: string; method?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...req.headers, 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(changes.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const response = await fetch(req.url, { method: changes.method ?? 'POST', headers, body: changes.body ?? req.body });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON bodies are checked through `text`.
  }
  return { status: response.status, headers: response.headers, text, json };
}
