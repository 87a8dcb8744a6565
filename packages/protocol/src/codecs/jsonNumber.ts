/*
 * JSON number tokens read from UTF-8 bytes for the JSON fast path (jsonBytes.ts):
 * integers of up to 15 digits and decimals of up to 15 significant digits are
 * computed exactly here; anything longer goes through Number() of the token's
 * text, which rounds as JSON.parse does.
 */

/** Pure integers with fewer digits than this are exact as numbers (the general path turns longer ones into bigints beyond ±2^53). */
const MAX_INT_DIGITS = 15;
/** Exact powers of ten as doubles (10^22 is the last one). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var last = 0;

/** Where the last token readJsonNumber read ended. */
export function jsonNumberEnd(): number {
  return last;
}

/** The byte at `p` as a digit 0..9, or a value above 9 (also past the end). */
function digitAt(s: Uint8Array, p: number, e: number): number {
  return p < e ? ((s[p] as number) - 0x30) >>> 0 : 10;
}

/**
 * Reads the number token at `start` of `s` (bytes up to `e`) exactly as
 * JSON.parse would; jsonNumberEnd() then tells where it ended. Returns
 * undefined for malformed tokens and for integers of 16 digits or more (the
 * general path makes exact bigints of those beyond ±2^53).
 */
export function readJsonNumber(s: Uint8Array, start: number, e: number): number | undefined {
  let p = start;
  const negative = s[p] === 0x2d;
  if (negative) p++;
  let mantissa = 0;
  let digits = 0;
  let d = digitAt(s, p, e);
  if (d === 0) p++, (digits = 1);
  else if (d < 10) {
    do (mantissa = mantissa * 10 + d), digits++, p++;
    while ((d = digitAt(s, p, e)) < 10);
  } else return undefined;
  let scale = 0; // digits after the point
  let c = p < e ? (s[p] as number) : -1;
  if (c === 0x2e) {
    p++;
    if ((d = digitAt(s, p, e)) >= 10) return undefined;
    do (mantissa = mantissa * 10 + d), digits++, scale++, p++;
    while ((d = digitAt(s, p, e)) < 10);
    c = p < e ? (s[p] as number) : -1;
  }
  let exact = true;
  if (c === 0x65 || c === 0x45) {
    p++;
    if (p < e && (s[p] === 0x2b || s[p] === 0x2d)) p++;
    if (digitAt(s, p, e) >= 10) return undefined;
    while (digitAt(s, p, e) < 10) p++;
    exact = false;
  }
  last = p;
  if (scale === 0 && exact) {
    if (digits > MAX_INT_DIGITS) return undefined;
    return negative ? -mantissa : mantissa;
  }
  // At most 15 significant digits and a power of ten up to 10^22: the mantissa and
  // the power are exact doubles, and one IEEE division rounds correctly (Clinger's fast path).
  if (exact && digits <= MAX_INT_DIGITS && scale < POW10.length) {
    const value = mantissa / (POW10[scale] as number);
    return negative ? -value : value;
  }
  let text = "";
  for (let i = start; i < p; i++) text += String.fromCharCode(s[i] as number);
  return Number(text);
}

