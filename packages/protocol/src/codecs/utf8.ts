import { viewBytes } from "./copyBytes.js";

const textEncoder = new TextEncoder();

/** Strings longer than this are written by TextEncoder.encodeInto; shorter ones by a JS loop (faster there, measured in Node 20). */
const NATIVE_FROM = 48;

/**
 * Writes `s` as UTF-8 into `target` at `pos` and returns the position after it.
 * A lone surrogate becomes U+FFFD, as TextEncoder and WebSocket.send do. The
 * caller guarantees room for `3 * s.length` bytes.
 */
export function writeUtf8(s: string, target: Uint8Array, pos: number): number {
  const len = s.length;
  if (len > NATIVE_FROM) return pos + (textEncoder.encodeInto(s, viewBytes(target, pos, target.length)).written as number);
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      target[pos++] = c;
    } else if (c < 0x800) {
      target[pos++] = 0xc0 | (c >> 6);
      target[pos++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      target[pos++] = 0xe0 | (c >> 12);
      target[pos++] = 0x80 | ((c >> 6) & 0x3f);
      target[pos++] = 0x80 | (c & 0x3f);
    } else {
      const d = c <= 0xdbff && i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        target[pos++] = 0xf0 | (cp >> 18);
        target[pos++] = 0x80 | ((cp >> 12) & 0x3f);
        target[pos++] = 0x80 | ((cp >> 6) & 0x3f);
        target[pos++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        target[pos++] = 0xef; // U+FFFD
        target[pos++] = 0xbf;
        target[pos++] = 0xbd;
      }
    }
  }
  return pos;
}

/**
 * Encoded strings are views into a shared slab, as Node's Buffer pool and msgpackr
 * do: allocating a small ArrayBuffer of its own costs far more than the encoding.
 */
const SLAB = 64 * 1024;
let slab = new Uint8Array(SLAB);
let used = 0;

/** `s` as UTF-8 bytes (lone surrogates as U+FFFD); faster than TextEncoder.encode on short strings in Node. */
export function encodeUtf8(s: string): Uint8Array {
  if (3 * s.length > SLAB) return textEncoder.encode(s);
  const start = slabReserve(3 * s.length);
  return slabCommit(start, writeUtf8(s, slab, start));
}

/**
 * Makes room for up to `max` bytes (at most the slab's size) and returns where
 * they start in slabBytes(); finish with slabCommit. Nothing else may take slab
 * space in between.
 */
export function slabReserve(max: number): number {
  if (used + max > SLAB) {
    slab = new Uint8Array(SLAB);
    used = 0;
  }
  return used;
}

/** The slab slabReserve made room in. */
export function slabBytes(): Uint8Array {
  return slab;
}

/** Claims the bytes written from `start` to `end` (after slabReserve) and returns them. */
export function slabCommit(start: number, end: number): Uint8Array {
  used = end;
  return viewBytes(slab, start, end);
}

/** Largest reservation slabReserve takes. */
export const SLAB_SIZE = SLAB;
