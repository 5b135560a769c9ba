/**
 * JSON values as the RPC layer produces them. `bigint` is allowed so that u64/u128 quantities the
 * node reports as JSON numbers (e.g. `subnetInfo_getLockCost`) stay exact beyond 2^53.
 */
export type Json =
  | null
  | boolean
  | number
  | string
  | bigint
  | readonly Json[]
  | { readonly [key: string]: Json | undefined };

/**
 * Serializes a {@link Json} value. Like `JSON.stringify`, except that a `bigint` is written as its
 * decimal digits (a JSON number, as serde writes a u64/u128) and `undefined` object members are
 * skipped.
 */
export function serializeJson(value: Json): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    default:
      break;
  }
  if (isJsonArray(value)) {
    return `[${value.map(serializeJson).join(',')}]`;
  }
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${serializeJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

function isJsonArray(value: Json): value is readonly Json[] {
  return Array.isArray(value);
}
