/** ASCII codes of the hex digits. */
const HEX = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Random bytes for 256 ids (16 each), drawn at once: one getRandomValues call per 256 ids. */
let pool = new Uint8Array(0);
let used = 0;
let poolSource: typeof globalThis.crypto | undefined;
const codes: number[] = new Array<number>(36).fill(0);

/**
 * A random RFC 4122 version 4 UUID, from `crypto.getRandomValues` (browsers and
 * Node alike). Built as one flat string: Node's `crypto.randomUUID()` returns a
 * tree of 14 concatenated strings (~450 bytes of heap), and every connection keeps
 * its id for life (apps/bench, memory per idle connection).
 */
export function randomId(): string {
  const c = globalThis.crypto;
  if (used + 16 > pool.length || poolSource !== c) {
    pool = c.getRandomValues(new Uint8Array(16 * 256));
    poolSource = c;
    used = 0;
  }
  let at = 0;
  for (let i = 0; i < 16; i++) {
    let b = pool[used + i] as number;
    if (i === 6) b = (b & 0x0f) | 0x40; // version 4
    else if (i === 8) b = (b & 0x3f) | 0x80; // variant 10
    if (i === 4 || i === 6 || i === 8 || i === 10) codes[at++] = 0x2d; // "-"
    codes[at++] = HEX[b >> 4] as number;
    codes[at++] = HEX[b & 0x0f] as number;
  }
  used += 16;
  return String.fromCharCode.apply(null, codes);
}
