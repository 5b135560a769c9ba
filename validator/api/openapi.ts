/**
 * `/v1/openapi.json`: an OpenAPI 3.1 document generated with `z.toJSONSchema` from the schemas the API
 * validates requests with (each subnet's synapse request schema) and builds answers from (schemas.ts).
 * Each served subnet gets its own infer path, `/v1/subnets/<netuid>/infer`, with its own schemas.
 */
import { z } from 'zod';
import type { AnySubnet } from '../../subnets';
import { API_ERRORS, type ApiErrorCode } from './errors';
import {
  attemptSchema, errorBodySchema, eventSchema, healthSchema, inferResultSchema, metagraphSchema, minerSchema, networkSchema, neuronSchema, scoresSchema, subnetListSchema,
  subnetSummarySchema, usageSchema,
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
    ['Scores', scoresSchema], ['Network', networkSchema], ['Health', healthSchema], ['Usage', usageSchema], ['Attempt', attemptSchema], ['AnsweringMiner', minerSchema], ['Event', eventSchema],
    ...unique.flatMap((s) => [[`${idOf(s)}Response`, s.synapse.response] as const, [`${idOf(s)}Result`, inferResultSchema(s.synapse.response)] as const]),
  ], 'output');
  const inputs = componentsOf(unique.map((s) => [`${idOf(s)}Request`, s.synapse.request] as const), 'input');

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
    paths[`/v1/subnets/${netuid}/infer`] = {
      post: {
        operationId: `infer_${netuid}`,
        summary: `Ask subnet ${netuid} (${subnet.name} ${subnet.version}, synapse ${subnet.synapse.name}): the best-scored miner answers`,
        description: `${subnet.description}. Routed to the top miners by this validator's scores, falling back down the ranking on failure or timeout (${subnet.timeoutS} s per miner). No subnet streams yet.`,
        requestBody: { required: true, content: { 'application/json': { schema: ref(`${idOf(subnet)}Request`) } } },
        responses: { 200: json(ref(`${idOf(subnet)}Result`), 'the first good answer, with the miner that gave it'), ...errors(...AUTH_ERRORS, 'QuotaExceeded', 'UnknownSubnet', 'PayloadTooLarge', 'InvalidJson', 'InvalidRequest', 'RequestRejected', 'NoMinersServing', 'AllMinersFailed', 'AllMinersTimedOut') },
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
