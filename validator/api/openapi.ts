/**
 * `/v1/openapi.json`: an OpenAPI 3.1 document generated with `z.toJSONSchema` from the schemas the API
 * validates requests with (each subnet's synapse request schema) and builds answers from (schemas.ts).
 * Each served subnet gets its own infer path, `/v1/subnets/<netuid>/infer`, with its own schemas (a streaming
 * subnet's chunk schema included), and its inference WebSocket, `/v1/subnets/<netuid>/infer/ws`.
 */
import { z } from 'zod';
import { isStreamingSubnet, type AnySubnet } from '../../subnets';
import { API_ERRORS, type ApiErrorCode } from './errors';
import {
  attemptSchema, chunkEventSchema, errorBodySchema, eventSchema, healthSchema, inferResultSchema, inferSocketMessageSchema, inferSocketRequestSchema, metagraphSchema, minerSchema,
  networkSchema, neuronSchema, scoresSchema, streamAttemptSchema, streamErrorSchema, subnetListSchema, subnetSummarySchema, usageSchema,
} from './schemas';

type JsonObject = Record<string, unknown>;

/** The JSON Schemas of a registry, keyed by id, as OpenAPI components (references point at `#/components/schemas/<id>`). */
function componentsOf(entries: ReadonlyArray<readonly [string, z.ZodType]>, io: 'input' | 'output'): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io, unrepresentable: 'any' });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

const ref = (id: string): JsonObject => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: JsonObject, description: string): JsonObject => ({ description, content: { 'application/json': { schema } } });

function errors(...codes: ApiErrorCode[]): Record<string, JsonObject> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(API_ERRORS[code], [...(byStatus.get(API_ERRORS[code]) ?? []), code]);
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), json(ref('Error'), list.join(', '))]));
}

const AUTH_ERRORS: ApiErrorCode[] = ['Unauthorized', 'RateLimited', 'InternalError'];
const netuidParameter = { name: 'netuid', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 65535 } };

/** The component id of a subnet's schemas: its synapse name (`DigitClassification` → `DigitClassificationRequest`). */
function idOf(subnet: AnySubnet): string {
  return subnet.synapse.name;
}

export function buildOpenApi(subnets: ReadonlyArray<{ readonly netuid: number; readonly subnet: AnySubnet }>, info: { readonly title?: string; readonly version: string }): JsonObject {
  const unique = [...new Map(subnets.map(({ subnet }) => [idOf(subnet), subnet])).values()];
  const outputs = componentsOf([
    ['Error', errorBodySchema], ['SubnetSummary', subnetSummarySchema], ['SubnetList', subnetListSchema], ['Neuron', neuronSchema], ['Metagraph', metagraphSchema],
    ['Scores', scoresSchema], ['Network', networkSchema], ['Health', healthSchema], ['Usage', usageSchema], ['Attempt', attemptSchema], ['StreamAttempt', streamAttemptSchema],
    ['AnsweringMiner', minerSchema], ['Event', eventSchema], ['StreamError', streamErrorSchema],
    ...unique.flatMap((s) => {
      const chunk: z.ZodType = isStreamingSubnet(s) ? s.stream.chunk : z.never();
      return [
        [`${idOf(s)}Response`, s.synapse.response] as const,
        [`${idOf(s)}Result`, inferResultSchema(s.synapse.response)] as const,
        [`${idOf(s)}SocketMessage`, inferSocketMessageSchema(chunk, s.synapse.response)] as const,
        ...(isStreamingSubnet(s) ? [[`${idOf(s)}Chunk`, s.stream.chunk] as const, [`${idOf(s)}ChunkEvent`, chunkEventSchema(s.stream.chunk)] as const] : []),
      ];
    }),
  ], 'output');
  const inputs = componentsOf(unique.flatMap((s) => [[`${idOf(s)}Request`, s.synapse.request] as const, [`${idOf(s)}SocketRequest`, inferSocketRequestSchema(s.synapse.request)] as const]), 'input');

  const paths: Record<string, JsonObject> = {
    '/v1/health': { get: { summary: 'Liveness and the block of each subnet', security: [], responses: { 200: json(ref('Health'), 'the API is up') } } },
    '/v1/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
    '/v1/network': { get: { summary: 'The best block, TAO issuance and each subnet’s share of the block emission, read from the chain', responses: { 200: json(ref('Network'), 'read at one block'), ...errors(...AUTH_ERRORS, 'ChainUnavailable') } } },
    '/v1/subnets': { get: { summary: 'The subnets this validator serves', responses: { 200: json(ref('SubnetList'), 'subnets'), ...errors(...AUTH_ERRORS) } } },
    '/v1/subnets/{netuid}/metagraph': { get: { summary: 'The subnet’s neurons with this validator’s scores', parameters: [netuidParameter], responses: { 200: json(ref('Metagraph'), 'neurons by uid'), ...errors(...AUTH_ERRORS, 'UnknownSubnet') } } },
    '/v1/subnets/{netuid}/scores': { get: { summary: 'This validator’s moving-average scores', parameters: [netuidParameter], responses: { 200: json(ref('Scores'), 'scores by uid'), ...errors(...AUTH_ERRORS, 'UnknownSubnet') } } },
    '/v1/subnets/{netuid}/stats': { get: { summary: 'Usage of the subnet’s infer route', parameters: [netuidParameter], responses: { 200: json(ref('Usage'), 'usage since the API started'), ...errors(...AUTH_ERRORS, 'UnknownSubnet') } } },
    '/v1/events': {
      get: {
        summary: 'WebSocket: blocks, scored steps and weights set, one JSON message (an Event) each',
        description: 'Upgrade to a WebSocket with the same Authorization header, or (browsers, which cannot set it) offer the subprotocols `tensornet.v1` and `bearer.<secret>`: the server selects `tensornet.v1`. `?netuid=N` (repeatable) limits the subnets. The first message is `{"type":"ready"}`.',
        parameters: [{ name: 'netuid', in: 'query', required: false, schema: { type: 'array', items: { type: 'integer' } }, style: 'form', explode: true }],
        responses: { 101: { description: 'switching to the WebSocket protocol; messages are `Event`s', content: { 'application/json': { schema: ref('Event') } } }, ...errors(...AUTH_ERRORS, 'UnknownSubnet', 'UpgradeRequired') },
      },
    },
  };
  for (const { netuid, subnet } of subnets) {
    const id = idOf(subnet);
    const streaming = isStreamingSubnet(subnet);
    const sse = {
      schema: { type: 'string', description: 'server-sent events: `chunk` events (data: the ChunkEvent), then `done` (data: the Result) or `error` (data: a StreamError)' },
      'x-sse-events': { ...(streaming ? { chunk: ref(`${id}ChunkEvent`) } : {}), done: ref(`${id}Result`), error: ref('StreamError') },
    };
    paths[`/v1/subnets/${netuid}/infer`] = {
      post: {
        operationId: `infer_${netuid}`,
        summary: `Ask subnet ${netuid} (${subnet.name} ${subnet.version}, synapse ${subnet.synapse.name}): the best-scored miner answers${streaming ? ', streaming its answer' : ''}`,
        description: `${subnet.description}. Routed to the top miners by this validator's scores, falling back down the ranking on failure or timeout (${subnet.timeoutS} s per miner). `
          + (streaming
            ? 'The miners stream their answer in chunks. As JSON, the answer the chunks assemble into comes whole. As server-sent events (`Accept: text/event-stream` or `?stream=true`), each chunk is forwarded as a `chunk` event as it arrives and a `done` event carries the assembled answer with its provenance; the fallback stops once the first chunk was forwarded, and a failure after it is an `error` event (`StreamInterrupted`). Errors before the first event are the JSON error answers below.'
            : 'As server-sent events (`Accept: text/event-stream` or `?stream=true`), the answer comes as one `done` event; errors before it are the JSON error answers below.'),
        parameters: [{ name: 'stream', in: 'query', required: false, schema: { type: 'boolean' }, description: 'true: answer as server-sent events (as `Accept: text/event-stream`); false: JSON whatever the Accept header' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref(`${id}Request`) } } },
        responses: {
          200: { description: 'the first good answer, with the miner that gave it', content: { 'application/json': { schema: ref(`${id}Result`) }, 'text/event-stream': sse } },
          ...errors(...AUTH_ERRORS, 'QuotaExceeded', 'UnknownSubnet', 'PayloadTooLarge', 'InvalidJson', 'InvalidRequest', 'RequestRejected', 'NoMinersServing', 'AllMinersFailed', 'AllMinersTimedOut'),
        },
      },
    };
    paths[`/v1/subnets/${netuid}/infer/ws`] = {
      get: {
        operationId: `infer_ws_${netuid}`,
        summary: `WebSocket: inference on subnet ${netuid} (${subnet.name}), ${streaming ? 'chunks' : 'answers'} pushed as they come`,
        description: 'Upgrade with the same Authorization header, or offer the subprotocols `tensornet.v1` and `bearer.<secret>` (as /v1/events). Send `SocketRequest` messages (`{"type":"infer","id","request"}`, `{"type":"cancel","id"}`); each `infer` counts against the key’s rate limit and quota. The socket answers `SocketMessage`s: `ready` once, then per request its `chunk`s (streaming subnets) and one `done` or `error` (`{code, message, details?}` from the error catalog).',
        responses: {
          101: { description: 'switching to the WebSocket protocol', content: { 'application/json': { schema: ref(`${id}SocketMessage`) } } },
          ...errors(...AUTH_ERRORS, 'UnknownSubnet', 'UpgradeRequired'),
        },
        'x-websocket-request': ref(`${id}SocketRequest`),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'tensornet validator API', version: info.version },
    security: [{ bearerAuth: [] }],
    paths,
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API key secret (tensornet validator api-key create)' } }, schemas: { ...outputs, ...inputs } },
  };
}
