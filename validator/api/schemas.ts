/**
 * The zod schemas of everything the API sends: the handlers build values of these types, and
 * `/v1/openapi.json` is generated from the same schemas (with each subnet's own request and response
 * schemas), so the document cannot drift from the code.
 */
import { z } from 'zod';
import { API_ERRORS, type ApiErrorCode } from './errors';

const uid = z.number().int().nonnegative();
const u16Fraction = z.number().min(0).max(1);
const rao = z.string().regex(/^\d+$/).describe('rao (10⁻⁹ TAO) as a decimal string');

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional().describe('e.g. `field` of an InvalidRequest, `tried` of a routing failure'),
  }),
});

export const subnetSummarySchema = z.object({
  netuid: z.number().int().nonnegative(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  block: z.number().int().nonnegative().describe('the block of the validator’s metagraph'),
  n: z.number().int().nonnegative(),
  servingMiners: z.number().int().nonnegative().describe('neurons with a served axon, the validator left out'),
});

export const subnetListSchema = z.object({ subnets: z.array(subnetSummarySchema) });

export const neuronSchema = z.object({
  uid,
  hotkey: z.string(),
  coldkey: z.string(),
  stake: rao,
  incentive: u16Fraction,
  dividends: u16Fraction,
  trust: u16Fraction,
  consensus: u16Fraction,
  vtrust: u16Fraction,
  emission: rao,
  active: z.boolean(),
  validatorPermit: z.boolean(),
  axon: z.object({ ip: z.string(), port: z.number().int().nonnegative(), serving: z.boolean() }),
  score: z.number().describe('this validator’s moving-average score'),
});

export const metagraphSchema = z.object({ netuid: z.number().int(), block: z.number().int(), neurons: z.array(neuronSchema) });

export const scoresSchema = z.object({
  netuid: z.number().int(),
  block: z.number().int(),
  scores: z.array(z.object({ uid, hotkey: z.string(), score: z.number() })),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']).describe('degraded: some subnet has no serving miner'),
  uptimeS: z.number().nonnegative(),
  subnets: z.array(z.object({ netuid: z.number().int(), block: z.number().int(), servingMiners: z.number().int() })),
});

export const networkSchema = z.object({
  block: z.number().int().nonnegative().describe('the best block, at which every value below was read'),
  blockHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  totalIssuance: rao.describe('SubtensorModule.TotalIssuance: the TAO minted so far, in rao'),
  blockEmission: rao.nullable().describe('rao minted per block (null where the runtime does not store it)'),
  subnets: z.array(z.object({
    netuid: z.number().int().nonnegative(),
    emission: rao.describe('EmissionValues: rao per block the root epoch gave this subnet'),
    share: z.number().min(0).max(1).nullable().describe('emission over the sum of every subnet’s; null while that sum is 0'),
    served: z.boolean().describe('whether this API serves the subnet'),
  })),
});

export const usageSchema = z.object({
  netuid: z.number().int(),
  requests: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  successRate: z.number().min(0).max(1).nullable(),
  latencyS: z.object({ p50: z.number().nullable(), p99: z.number().nullable(), samples: z.number().int().nonnegative() }),
  window: z.number().int().positive(),
});

const queryStatus = z.enum(['ok', 'timeout', 'unavailable', 'refused', 'invalid', 'error']);

export const attemptSchema = z.object({
  uid,
  hotkey: z.string(),
  score: z.number(),
  status: queryStatus,
  code: z.number().int().describe('200, or the failure: 408 timeout, 503 unreachable, 422 unparsable, the miner’s refusal status'),
  message: z.string(),
  latencyS: z.number().nonnegative(),
});

const streamFields = {
  firstChunkS: z.number().nonnegative().nullable().optional().describe('streaming subnets: seconds until the miner’s first chunk (null: none came)'),
  chunks: z.number().int().nonnegative().optional().describe('streaming subnets: chunks the miner sent'),
};

export const streamAttemptSchema = attemptSchema.extend(streamFields);

export const minerSchema = z.object({ uid, hotkey: z.string(), latencyS: z.number().nonnegative(), score: z.number(), firstChunkS: streamFields.firstChunkS });

/** The success body of a subnet's infer route: the miner's response fields (a streaming subnet's: assembled from its chunks) with their provenance. */
export function inferResultSchema<R extends z.ZodType>(response: R) {
  return z.object({ response, miner: minerSchema, tried: z.array(streamAttemptSchema).describe('every miner asked, in order, the answering one last') });
}

/** The `data` of an SSE `error` event, and the `error` of a WebSocket `error` message. */
export const streamErrorSchema = errorBodySchema.shape.error;

/** The `data` of an SSE `chunk` event. */
export function chunkEventSchema<C extends z.ZodType>(chunk: C) {
  return z.object({ index: z.number().int().nonnegative().describe('0, 1, 2… in order'), chunk });
}

/** What an app sends on `/v1/subnets/:netuid/infer/ws`. */
export function inferSocketRequestSchema<R extends z.ZodType>(request: R) {
  const id = z.string().min(1).max(64).describe('the client’s name for the request, echoed in every message about it (unique among its requests in flight)');
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('infer'), id, request }).strict().describe('ask the subnet; the request fields are the synapse’s, as the body of POST …/infer'),
    z.object({ type: z.literal('cancel'), id }).strict().describe('stop a request in flight (no further message comes about it)'),
  ]);
}

/** What `/v1/subnets/:netuid/infer/ws` sends. */
export function inferSocketMessageSchema<C extends z.ZodType, R extends z.ZodType>(chunk: C, response: R) {
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready'), netuid: z.number().int() }).describe('sent once, when the socket is open'),
    z.object({ type: z.literal('chunk'), id: z.string(), index: z.number().int().nonnegative(), chunk }).describe('a chunk of the answer, in order (streaming subnets)'),
    z.object({ type: z.literal('done'), id: z.string(), ...inferResultSchema(response).shape }).describe('the whole answer with its provenance: the last message about a request'),
    z.object({ type: z.literal('error'), id: z.string().nullable().describe('null: about a message that named no usable id'), error: streamErrorSchema }).describe('the request failed: the last message about it'),
  ]);
}

export const readyEventSchema = z.object({ type: z.literal('ready'), netuids: z.array(z.number().int()) }).describe('sent once, when the subscription is live');
export const blockEventSchema = z.object({ type: z.literal('block'), netuid: z.number().int(), block: z.number().int() });
export const stepEventSchema = z.object({
  type: z.literal('step'),
  netuid: z.number().int(),
  block: z.number().int(),
  answers: z.array(z.object({
    uid,
    hotkey: z.string(),
    status: queryStatus,
    latencyS: z.number(),
    reward: z.number(),
    score: z.number().describe('this step’s score'),
    average: z.number().describe('the moving average after it'),
  })),
});
export const weightsEventSchema = z.object({ type: z.literal('weights'), netuid: z.number().int(), block: z.number().int(), uids: z.array(uid), values: z.array(z.number()) });
export const epochEventSchema = z.object({ type: z.literal('epoch'), netuid: z.number().int(), block: z.number().int() }).describe("the subnet's epoch ran at this block");
export const eventSchema = z.discriminatedUnion('type', [readyEventSchema, blockEventSchema, epochEventSchema, stepEventSchema, weightsEventSchema]);

export type SubnetSummary = z.infer<typeof subnetSummarySchema>;
export type Neuron = z.infer<typeof neuronSchema>;
export type MetagraphBody = z.infer<typeof metagraphSchema>;
export type ScoresBody = z.infer<typeof scoresSchema>;
export type HealthBody = z.infer<typeof healthSchema>;
export type NetworkBody = z.infer<typeof networkSchema>;
export type ApiEvent = z.infer<typeof eventSchema>;
