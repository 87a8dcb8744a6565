import { jsonPosition, jsonScratch, jsonScratchView, jsonStringAt } from "./jsonBytes.js";
import { asciiString, keyString } from "./msgpackStrings.js";

/*
 * Token scanners over jsonBytes.ts' scratch copy (opened by jsonOpen: the input, then a 0 byte that
 * stops every scan at the end), for readers that keep their position in a local (jsonRequest.ts,
 * readJsonRpc.ts). Positions in, positions out; -1 for what the reader leaves to the general path.
 * Strings with escapes or invalid UTF-8 give up by throwing (jsonStringAt), as the value reader does.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** `null` as a big-endian word. */
const NULL = 0x6e756c6c;

/** Skips JSON whitespace from `p`. */
export function skipSpace(p: number): number {
  const s = jsonScratch;
  let c = s[p] as number;
  while (c <= 0x20 && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) c = s[++p] as number;
  return p;
}

/** Where `null` at `p` ends, or -1 (`e`: the input's end). */
export function nullAt(p: number, e: number): number {
  return p + 4 <= e && jsonScratchView.getInt32(p) === NULL ? p + 4 : -1;
}

/** Where the printable ASCII run from `p` ends (at a quote, a backslash, a control or non-ASCII byte, or the end). */
function asciiEnd(p: number): number {
  const s = jsonScratch;
  let c = s[p] as number;
  while (c >= 0x20 && c !== QUOTE && c !== BACKSLASH && c < 0x80) c = s[++p] as number;
  return p;
}

/**
 * The end (after the closing quote) of a key that is none of the reader's own, at `p` (after the
 * opening quote). Any name, "__proto__" too: its value is skipped, never stored under it (JSON.parse
 * makes it an own property, which the schema ignores like any unknown field).
 */
export function unknownKeyEnd(p: number): number {
  const q = asciiEnd(p);
  if (jsonScratch[q] !== QUOTE) return jsonStringAt(p, false), jsonPosition(); // non-ASCII, checked; escapes give up
  return q + 1;
}

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var stringEnd = 0;

/** The string at `p` (after its opening quote); `key` interns it. scannedEnd() then tells where it ended. */
export function stringAt(p: number, key: boolean): string {
  const q = asciiEnd(p);
  if (jsonScratch[q] === QUOTE) {
    stringEnd = q + 1;
    return key ? keyString(jsonScratch, p, q - p) : asciiString(jsonScratch, p, q - p);
  }
  const s = jsonStringAt(p, key); // non-ASCII, checked; escapes give up
  stringEnd = jsonPosition();
  return s;
}

/** Where the last stringAt ended. */
export function scannedEnd(): number {
  return stringEnd;
}
