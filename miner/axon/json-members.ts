/**
 * The byte ranges of a JSON object's top-level members, found without parsing the values: strings are
 * skipped with `indexOf` (a 240 KiB base64 tensor is one search), nested objects and arrays by depth. The
 * axon echoes a request's input fields into its answer from these slices of the bytes it received (and
 * hashed), instead of serializing the parsed values again.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** The index just past the string starting at `at` (a quote), or -1. */
function skipString(text: Buffer, at: number): number {
  let from = at + 1;
  for (;;) {
    const end = text.indexOf(QUOTE, from);
    if (end < 0) return -1;
    let slashes = 0;
    for (let i = end - 1; i > at && text[i] === BACKSLASH; i--) slashes++;
    if (slashes % 2 === 0) return end + 1;
    from = end + 1;
  }
}

/** The index just past the value starting at `at`, or -1. */
function skipValue(text: Buffer, at: number): number {
  const first = text[at];
  if (first === QUOTE) return skipString(text, at);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const byte = text[i];
      if (byte === QUOTE) {
        i = skipString(text, i) - 1;
        if (i < 0) return -1;
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  while (i < text.length && text[i] !== COMMA && text[i] !== CLOSE_OBJECT && !isSpace(text[i])) i++;
  return i > at ? i : -1;
}

/**
 * Key → `[start, end)` of its value, for every member of the top-level object (the last of duplicated
 * keys, as `JSON.parse` keeps); null when `text` is not a JSON object this scanner can follow. Call it on
 * text `JSON.parse` accepted: it does not validate.
 */
export function topLevelMembers(text: Buffer): Map<string, readonly [number, number]> | null {
  const members = new Map<string, readonly [number, number]>();
  let i = 0;
  const space = (): void => {
    while (isSpace(text[i])) i++;
  };
  space();
  if (text[i] !== OPEN_OBJECT) return null;
  i++;
  space();
  if (text[i] === CLOSE_OBJECT) return members;
  for (;;) {
    space();
    if (text[i] !== QUOTE) return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    let key: string;
    try {
      key = JSON.parse(text.toString('utf8', i, keyEnd)) as string;
    } catch {
      return null;
    }
    i = keyEnd;
    space();
    if (text[i] !== COLON) return null;
    i++;
    space();
    const start = i;
    const end = skipValue(text, i);
    if (end < 0) return null;
    members.set(key, [start, end]);
    i = end;
    space();
    if (text[i] === COMMA) {
      i++;
      continue;
    }
    return text[i] === CLOSE_OBJECT ? members : null;
  }
}
