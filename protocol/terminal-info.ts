/**
 * `TerminalInfo`: what a synapse carries about each end of a call (the `dendrite` and `axon` objects of
 * the body, the `bt_header_dendrite_*` / `bt_header_axon_*` headers). Field order is the reference
 * SDK's model order, which both the JSON body and the header set follow.
 */
import { pythonFloatRepr } from './python-repr';

export interface TerminalInfo {
  readonly status_code: number | null;
  readonly status_message: string | null;
  /** Seconds, a Python float. */
  readonly process_time: number | null;
  readonly ip: string | null;
  readonly port: number | null;
  readonly version: number | null;
  /** Nanoseconds since the Unix epoch: beyond 2^53, so a bigint. */
  readonly nonce: bigint | null;
  readonly uuid: string | null;
  readonly hotkey: string | null;
  readonly signature: string | null;
}

export const TERMINAL_INFO_FIELDS = [
  'status_code', 'status_message', 'process_time', 'ip', 'port', 'version', 'nonce', 'uuid', 'hotkey', 'signature',
] as const satisfies ReadonlyArray<keyof TerminalInfo>;

export const EMPTY_TERMINAL_INFO: TerminalInfo = Object.freeze({
  status_code: null, status_message: null, process_time: null, ip: null, port: null, version: null, nonce: null, uuid: null, hotkey: null, signature: null,
});

export function terminalInfo(values: Partial<TerminalInfo>): TerminalInfo {
  return { ...EMPTY_TERMINAL_INFO, ...values };
}

/**
 * The JSON of a TerminalInfo with nulls included, as pydantic dumps it. Written by hand because the nonce
 * is an integer beyond 2^53 that `JSON.stringify` cannot emit as a number.
 */
export function terminalInfoJson(info: TerminalInfo): string {
  const parts = TERMINAL_INFO_FIELDS.map((field) => {
    const value = info[field];
    let text: string;
    if (value === null) text = 'null';
    else if (typeof value === 'bigint') text = value.toString();
    else if (field === 'process_time') text = pythonFloatRepr(value as number);
    else text = JSON.stringify(value);
    return `${JSON.stringify(field)}:${text}`;
  });
  return `{${parts.join(',')}}`;
}

/** `bt_header_<side>_<field>` for every non-null field, values as Python `str()` renders them. */
export function terminalInfoHeaders(side: 'axon' | 'dendrite', info: TerminalInfo): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of TERMINAL_INFO_FIELDS) {
    const value = info[field];
    if (value === null) continue;
    headers[`bt_header_${side}_${field}`] = field === 'process_time' ? pythonFloatRepr(value as number) : String(value);
  }
  return headers;
}
