/**
 * Building a signed request exactly as the reference dendrite does (`preprocess_synapse_for_request` then
 * `to_headers()` and the body dump), so a Python axon accepts it unchanged; the validator's dendrite and
 * the tests and benchmarks of the axon use it.
 */
import type { z } from 'zod';
import type { Keypair } from '../chain-client/wallet';
import { ProtocolError } from './errors';
import { pythonFloatRepr } from './python-repr';
import { signRequest, timeNs, versionAsInt } from './signing';
import { inputObjHeadersOf, type SynapseDefinition } from './synapse';
import { terminalInfo, terminalInfoHeaders, terminalInfoJson, type TerminalInfo } from './terminal-info';

/** The reference SDK version tensornet speaks: bittensor 10.2.0. */
export const PROTOCOL_VERSION = versionAsInt('10.2.0');

/** The reference default timeout of a call, in seconds. */
export const DEFAULT_TIMEOUT_S = 12;

/** Where a request goes: the target axon as the metagraph lists it. */
export interface AxonTarget {
  readonly ip: string;
  readonly port: number;
  readonly hotkey: string;
}

export interface BuildRequestParameters<Req extends z.ZodRawShape> {
  readonly synapse: SynapseDefinition<Req, z.ZodRawShape>;
  /** The request fields; validated against the synapse's request schema. */
  readonly input: z.input<z.ZodObject<Req>>;
  /** The dendrite's hotkey (signs). */
  readonly hotkey: Keypair;
  readonly axon: AxonTarget;
  /** The dendrite instance's id (`uuid1()` once per dendrite, kept for its life). */
  readonly uuid: string;
  /** Seconds. @default 12 */
  readonly timeout?: number;
  /** The dendrite's external IP (informational on the axon side). @default '0.0.0.0' */
  readonly dendriteIp?: string;
  /** @default PROTOCOL_VERSION */
  readonly version?: number;
  /** Nanoseconds since the epoch. @default timeNs() */
  readonly nonce?: bigint;
}

export interface SignedRequest {
  /** `/<SynapseName>` */
  readonly path: string;
  /** `http://ip:port/<SynapseName>` */
  readonly url: string;
  /** Header names and values as the reference dendrite sends them (lowercase, all strings), in its order. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body. */
  readonly body: string;
  readonly nonce: bigint;
  readonly bodyHash: string;
}

/**
 * Builds and signs a request.
 * @throws ProtocolError `InvalidSynapseInput` when `input` does not satisfy the request schema
 */
export function buildRequest<Req extends z.ZodRawShape>(params: BuildRequestParameters<Req>): SignedRequest {
  const { synapse, axon } = params;
  const parsed = synapse.request.safeParse(params.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProtocolError('InvalidSynapseInput', `${synapse.name}.${issue.path.join('.') || '(body)'}: ${issue.message}`, { path: issue.path.join('.') });
  }
  const input = parsed.data as Record<string, unknown>;
  const timeout = params.timeout ?? DEFAULT_TIMEOUT_S;
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw new ProtocolError('InvalidHeaderValue', `timeout must be a positive number of seconds: ${timeout}`);
  const nonce = params.nonce ?? timeNs();
  const bodyHash = synapse.hashOf(parsed.data);
  const signature = signRequest(params.hotkey, { nonce, dendriteHotkey: params.hotkey.address, axonHotkey: axon.hotkey, uuid: params.uuid, bodyHash });
  const dendrite = terminalInfo({ ip: params.dendriteIp ?? '0.0.0.0', version: params.version ?? PROTOCOL_VERSION, nonce, uuid: params.uuid, hotkey: params.hotkey.address, signature });
  const axonInfo = terminalInfo({ ip: axon.ip, port: axon.port, hotkey: axon.hotkey });
  const body = synapseJson({ name: synapse.name, timeout, totalSize: 0, dendrite, axon: axonInfo, fields: input });
  const headers: Record<string, string> = {
    name: synapse.name,
    timeout: pythonFloatRepr(timeout),
    ...terminalInfoHeaders('axon', axonInfo),
    ...terminalInfoHeaders('dendrite', dendrite),
    ...inputObjHeadersOf(synapse, input),
  };
  // header_size / total_size are CPython object sizes (sys.getsizeof) that no peer checks; the byte sizes stand in.
  headers['header_size'] = String(Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length, 0));
  headers['total_size'] = String(Buffer.byteLength(body));
  headers['computed_body_hash'] = bodyHash;
  return { path: `/${synapse.name}`, url: `http://${hostOf(axon.ip)}:${axon.port}/${synapse.name}`, headers, body, nonce, bodyHash };
}

function hostOf(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

export interface SynapseJsonParts {
  readonly name: string;
  readonly timeout: number;
  readonly totalSize: number;
  readonly dendrite: TerminalInfo;
  readonly axon: TerminalInfo;
  /** Request (and, in responses, response) fields, JSON-serializable. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The full synapse JSON (pydantic `model_dump` shape and field order): base fields, terminal infos, then the subclass fields. */
export function synapseJson(parts: SynapseJsonParts): string {
  const head = [
    `"name":${JSON.stringify(parts.name)}`,
    `"timeout":${pythonFloatRepr(parts.timeout)}`,
    `"total_size":${parts.totalSize}`,
    '"header_size":0',
    `"dendrite":${terminalInfoJson(parts.dendrite)}`,
    `"axon":${terminalInfoJson(parts.axon)}`,
    '"computed_body_hash":""',
  ];
  // Appended piece by piece rather than joined: V8 keeps the concatenation as a rope and copies a large
  // field (a base64 tensor) once, when the body is written, instead of once per join (each copy of a
  // string over ~128 KiB is a fresh large-object allocation).
  let json = `{${head.join(',')}`;
  for (const [field, value] of Object.entries(parts.fields)) json += `,${JSON.stringify(field)}:${JSON.stringify(value ?? null)}`;
  return `${json}}`;
}
