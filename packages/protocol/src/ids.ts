/** ASCII codes of the hex digits. */
const HEX = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Ids drawn per refill: one getRandomValues call per 256 ids. */
const BATCH = 256;
/** The hex digits (ASCII, 32 per id, version and variant bits set) of the next ids, written at each refill. */
const digits = new Uint8Array(32 * BATCH);
let used = digits.length;
let poolSource: typeof globalThis.crypto | undefined;
const chars = String.fromCharCode as (...codes: Array<number | undefined>) => string;

/** Draws random bytes for BATCH ids and writes them as hex digits. */
function refill(c: typeof globalThis.crypto): void {
  const bytes = c.getRandomValues(new Uint8Array(16 * BATCH));
  for (let i = 0; i < bytes.length; i++) {
    let b = bytes[i] as number;
    const at = i & 15;
    if (at === 6) b = (b & 0x0f) | 0x40; // version 4
    else if (at === 8) b = (b & 0x3f) | 0x80; // variant 10
    digits[2 * i] = HEX[b >> 4] as number;
    digits[2 * i + 1] = HEX[b & 0x0f] as number;
  }
  poolSource = c;
  used = 0;
}

/**
 * A random RFC 4122 version 4 UUID, from `crypto.getRandomValues` (browsers and
 * Node alike). Built as one flat string, by one fromCharCode call of 36 arguments
 * (the digits are written at refill): Node's `crypto.randomUUID()` returns a
 * tree of 14 concatenated strings (~450 bytes of heap), and every connection keeps
 * its id for life (apps/bench, memory per idle connection).
 */
export function randomId(): string {
  const c = globalThis.crypto;
  if (used === digits.length || poolSource !== c) refill(c);
  const h = digits;
  const p = used;
  used = p + 32;
  // prettier-ignore
  return chars(h[p], h[p + 1], h[p + 2], h[p + 3], h[p + 4], h[p + 5], h[p + 6], h[p + 7], 0x2d, h[p + 8], h[p + 9], h[p + 10], h[p + 11], 0x2d,
    h[p + 12], h[p + 13], h[p + 14], h[p + 15], 0x2d, h[p + 16], h[p + 17], h[p + 18], h[p + 19], 0x2d, h[p + 20], h[p + 21], h[p + 22], h[p + 23],
    h[p + 24], h[p + 25], h[p + 26], h[p + 27], h[p + 28], h[p + 29], h[p + 30], h[p + 31]);
}
