/**
 * Synapse definitions: the typed request/response a route carries, declared with zod and mapped onto the
 * reference SDK's pydantic `Synapse` subclass of the same name so Python and TypeScript peers interoperate.
 *
 * The matching Python class declares the request fields first, in the same order and with the matching
 * Python types (`z.string()` → `str`, `z.number().int()` → `int`, `z.number()` → `float`, arrays → `list`,
 * objects/records → `dict` or a nested model), then the response fields as `Optional[...] = None`, and
 * `required_hash_fields = (<every request field, in order>,)`.
 *
 * A `bt.Tensor` request field is declared `Optional[bt.Tensor] = None` in Python and sends no
 * `bt_header_input_obj_` header: the reference axon builds the synapse from the headers before reading the
 * body, and a required tensor field can be filled there neither without a header (missing) nor with the
 * `{}` one (a Tensor needs `dtype` and `shape`): it answers 500 either way.
 *
 * Stricter than the reference: the body hash covers **every** request field, always. The reference hashes
 * only what a subnet lists in `required_hash_fields`, so the other inputs of a signed request could be
 * changed in flight without the axon noticing.
 */
import { z } from 'zod';
import { ProtocolError } from './errors';
import { bodyHash } from './python-repr';
import { btTensor } from './tensor';

/** What a synapse definition is built from. */
export interface SynapseSpec<Req extends z.ZodRawShape, Res extends z.ZodRawShape> {
  /** The Python class name: the route (`POST /<name>`) and the `name` field. */
  readonly name: string;
  /** Input fields, sent by the dendrite, all covered by the body hash. */
  readonly request: Req;
  /** Output fields, filled by the miner (absent/None in requests). */
  readonly response: Res;
  /** The miner streams its answer (`text/event-stream`) instead of returning the filled synapse. @default false */
  readonly streaming?: boolean;
}

/** A synapse definition: schemas of both directions and the wire facts derived from them. */
export interface SynapseDefinition<Req extends z.ZodRawShape = z.ZodRawShape, Res extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly streaming: boolean;
  readonly request: z.ZodObject<Req>;
  readonly response: z.ZodObject<Res>;
  /** The request fields, in order: the synapse's `required_hash_fields`. */
  readonly hashFields: readonly string[];
  /**
   * `bt_header_input_obj_<field>` values the reference dendrite sends: base64 of the JSON of an empty value
   * of each required (no-default) request field's Python type. `bt.Tensor` fields have none (their Python
   * declaration is `Optional[bt.Tensor] = None`, see above).
   */
  readonly inputObjHeaders: Readonly<Record<string, string>>;
  /** The body hash (`computed_body_hash`) of a validated request. */
  hashOf(input: z.infer<z.ZodObject<Req>>): string;
}

export type SynapseRequest<D> = D extends SynapseDefinition<infer Req, z.ZodRawShape> ? z.infer<z.ZodObject<Req>> : never;
export type SynapseResponse<D> = D extends SynapseDefinition<z.ZodRawShape, infer Res> ? z.infer<z.ZodObject<Res>> : never;

/** The `bt_header_input_obj_*` headers of a request: one per required field whose value is not None. */
export function inputObjHeadersOf(synapse: Pick<SynapseDefinition, 'inputObjHeaders'>, input: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [field, value] of Object.entries(synapse.inputObjHeaders)) {
    if (input[field] !== null && input[field] !== undefined) headers[`bt_header_input_obj_${field}`] = value;
  }
  return headers;
}

/** Fields of the base `Synapse` model: a subclass cannot reuse these names. */
export const BASE_SYNAPSE_FIELDS = ['name', 'timeout', 'total_size', 'header_size', 'dendrite', 'axon', 'computed_body_hash', 'required_hash_fields'] as const;

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Declares a synapse.
 * @example
 * const Dummy = defineSynapse({ name: 'Dummy', request: { dummy_input: z.number().int() }, response: { dummy_output: z.number().int() } });
 * @throws ProtocolError `InvalidSynapseDefinition`
 */
export function defineSynapse<Req extends z.ZodRawShape, Res extends z.ZodRawShape>(spec: SynapseSpec<Req, Res>): SynapseDefinition<Req, Res> {
  const invalid = (reason: string): never => {
    throw new ProtocolError('InvalidSynapseDefinition', `synapse ${spec.name}: ${reason}`, { synapse: spec.name });
  };
  if (!PYTHON_IDENTIFIER.test(spec.name) || spec.name === 'Synapse') invalid('the name must be a Python class name other than Synapse');
  const requestFields = Object.keys(spec.request);
  const responseFields = Object.keys(spec.response);
  for (const field of [...requestFields, ...responseFields]) {
    if (!PYTHON_IDENTIFIER.test(field)) invalid(`field "${field}" is not a Python identifier`);
    if ((BASE_SYNAPSE_FIELDS as readonly string[]).includes(field)) invalid(`field "${field}" is a base Synapse field`);
  }
  const clash = requestFields.find((f) => responseFields.includes(f));
  if (clash !== undefined) invalid(`field "${clash}" is both a request and a response field`);

  const request = z.object(spec.request).strict();
  const response = z.object(spec.response).strict();
  const inputObjHeaders: Record<string, string> = {};
  for (const [field, schema] of Object.entries(spec.request)) {
    if (isRequired(schema) && !isTensor(schema)) inputObjHeaders[field] = Buffer.from(emptyPythonJson(schema, field, invalid)).toString('base64');
  }
  const shape = spec.request as unknown as Readonly<Record<string, z.ZodType>>;
  return Object.freeze({
    name: spec.name,
    streaming: spec.streaming ?? false,
    request,
    response,
    hashFields: Object.freeze(requestFields),
    inputObjHeaders: Object.freeze(inputObjHeaders),
    hashOf: (input: z.infer<z.ZodObject<Req>>) => {
      const values = input as Record<string, unknown>;
      return bodyHash(requestFields.map((field) => [values[field], shape[field]] as const));
    },
  });
}

/** A field without a default: pydantic lists it in the schema's `required`. */
function isRequired(schema: z.core.$ZodType): boolean {
  const type = schema._zod.def.type;
  return type !== 'optional' && type !== 'default' && type !== 'prefault';
}

/** A `bt.Tensor` field (possibly nullable): its Python counterpart is `Optional[bt.Tensor] = None`, so no input_obj header. */
function isTensor(schema: z.core.$ZodType): boolean {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType };
  return schema === btTensor || (def.type === 'nullable' && def.innerType !== undefined && isTensor(def.innerType));
}

/** `json.dumps(type(value)())` for the Python type a zod schema maps to. */
function emptyPythonJson(schema: z.core.$ZodType, field: string, invalid: (reason: string) => never): string {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; values?: unknown[] };
  switch (def.type) {
    case 'string':
    case 'enum':
      return '""';
    case 'number':
      return (schema as unknown as z.ZodNumber).isInt ? '0' : '0.0';
    case 'int':
    case 'bigint':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
    case 'tuple':
      return '[]';
    case 'object':
    case 'record':
      return '{}';
    case 'literal':
      return typeof def.values?.[0] === 'string' ? '""' : emptyOfPrimitive(def.values?.[0], field, invalid);
    case 'nullable':
      // A required Optional[X] field holding a value sends the empty X (a None value sends no header).
      return emptyPythonJson(def.innerType!, field, invalid);
    default:
      return invalid(`field "${field}" has a type (${def.type}) without a Python counterpart`);
  }
}

function emptyOfPrimitive(value: unknown, field: string, invalid: (reason: string) => never): string {
  if (typeof value === 'number') return Number.isInteger(value) ? '0' : '0.0';
  if (typeof value === 'boolean') return 'false';
  return invalid(`field "${field}" is a literal without a Python counterpart`);
}

/** The base `Synapse` class itself: the `/Synapse` ping route every axon serves. No fields. */
export const PING_SYNAPSE: SynapseDefinition<Record<string, never>, Record<string, never>> = Object.freeze({
  name: 'Synapse',
  streaming: false,
  request: z.object({}).strict(),
  response: z.object({}).strict(),
  hashFields: Object.freeze([]),
  inputObjHeaders: Object.freeze({}),
  hashOf: () => bodyHash([]),
});
