/**
 * String decoding for the msgpack decoder (msgpackDecode.ts): short ASCII
 * strings are built in JS, everything else goes through one shared
 * TextDecoder, and short map keys come from a small cache.
 */

/**
 * Non-fatal (invalid UTF-8 becomes U+FFFD, as msgpackr and its native string
 * extractor do) and keeping a leading U+FEFF: a msgpack string is a whole
 * value, not the start of a text stream.
 */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** String.fromCharCode, typed to take indexed byte reads as they come (never undefined here: callers check bounds). */
const chars = String.fromCharCode as (...codes: Array<number | undefined>) => string;

/** Strings up to this many bytes are built in JS when ASCII (one call, one allocation); longer ones use TextDecoder. */
const SHORT = 16;

/** Decodes the `n` bytes at `p` of `s` (the caller has checked that they are there) as UTF-8. */
export function decodeString(s: Uint8Array, p: number, n: number): string {
  if (n === UUID_LENGTH) return uuidLength(s, p);
  if (n > SHORT) return utf8.decode(s.subarray(p, p + n));
  let high = 0;
  for (let i = p; i < p + n; i++) high |= s[i] as number;
  if (high > 0x7f) return utf8.decode(s.subarray(p, p + n));
  switch (n) {
    case 0: return "";
    case 1: return chars(s[p]);
    case 2: return chars(s[p], s[p + 1]);
    case 3: return chars(s[p], s[p + 1], s[p + 2]);
    case 4: return chars(s[p], s[p + 1], s[p + 2], s[p + 3]);
    case 5: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4]);
    case 6: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5]);
    case 7: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6]);
    case 8: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6], s[p + 7]);
    default: {
      // 9..16: the first 8, then the rest in one more call
      const head = chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6], s[p + 7]);
      const q = p + 8;
      switch (n) {
        case 9: return head + chars(s[q]);
        case 10: return head + chars(s[q], s[q + 1]);
        case 11: return head + chars(s[q], s[q + 1], s[q + 2]);
        case 12: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3]);
        case 13: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4]);
        case 14: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5]);
        case 15: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5], s[q + 6]);
        default: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5], s[q + 6], s[q + 7]);
      }
    }
  }
}

/** The length of a UUID's text: call ids are mostly UUIDs (Python's uuid4(), randomId). */
const UUID_LENGTH = 36;

/**
 * `n` = 36 bytes at `p`: one fromCharCode call of 36 arguments when ASCII (~2x faster than
 * TextDecoder for a UUID, in process), a flat string like TextDecoder's.
 */
function uuidLength(s: Uint8Array, q: number): string {
  let high = 0;
  for (let i = q; i < q + UUID_LENGTH; i++) high |= s[i] as number;
  if (high > 0x7f) return utf8.decode(s.subarray(q, q + UUID_LENGTH));
  // prettier-ignore
  return chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5], s[q + 6], s[q + 7], s[q + 8], s[q + 9], s[q + 10], s[q + 11],
    s[q + 12], s[q + 13], s[q + 14], s[q + 15], s[q + 16], s[q + 17], s[q + 18], s[q + 19], s[q + 20], s[q + 21], s[q + 22], s[q + 23],
    s[q + 24], s[q + 25], s[q + 26], s[q + 27], s[q + 28], s[q + 29], s[q + 30], s[q + 31], s[q + 32], s[q + 33], s[q + 34], s[q + 35]);
}

/**
 * The `n` bytes at `p` of `s`, which the caller has checked are there and ASCII (a reader that
 * scanned them already), as a flat string: built in JS up to SHORT bytes and for a UUID's 36 (one
 * fromCharCode call of 36 arguments: ~2x faster than TextDecoder, in process; call ids are mostly UUIDs,
 * from Python's uuid4() or randomId), else by TextDecoder.
 */
export function asciiString(s: Uint8Array, p: number, n: number): string {
  switch (n) {
    case 0: return "";
    case 1: return chars(s[p]);
    case 2: return chars(s[p], s[p + 1]);
    case 3: return chars(s[p], s[p + 1], s[p + 2]);
    case 4: return chars(s[p], s[p + 1], s[p + 2], s[p + 3]);
    case 5: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4]);
    case 6: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5]);
    case 7: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6]);
    case 8: return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6], s[p + 7]);
    case 36:
      // prettier-ignore
      return chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6], s[p + 7], s[p + 8], s[p + 9], s[p + 10], s[p + 11],
        s[p + 12], s[p + 13], s[p + 14], s[p + 15], s[p + 16], s[p + 17], s[p + 18], s[p + 19], s[p + 20], s[p + 21], s[p + 22], s[p + 23],
        s[p + 24], s[p + 25], s[p + 26], s[p + 27], s[p + 28], s[p + 29], s[p + 30], s[p + 31], s[p + 32], s[p + 33], s[p + 34], s[p + 35]);
    default: {
      if (n > SHORT) return utf8.decode(s.subarray(p, p + n));
      // 9..16: the first 8, then the rest in one more call
      const head = chars(s[p], s[p + 1], s[p + 2], s[p + 3], s[p + 4], s[p + 5], s[p + 6], s[p + 7]);
      const q = p + 8;
      switch (n) {
        case 9: return head + chars(s[q]);
        case 10: return head + chars(s[q], s[q + 1]);
        case 11: return head + chars(s[q], s[q + 1], s[q + 2]);
        case 12: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3]);
        case 13: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4]);
        case 14: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5]);
        case 15: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5], s[q + 6]);
        default: return head + chars(s[q], s[q + 1], s[q + 2], s[q + 3], s[q + 4], s[q + 5], s[q + 6], s[q + 7]);
      }
    }
  }
}

/** Key cache: 4096 slots, each remembering the bytes (up to SHORT, as 4 big-endian int32 words) and string of the last key that hashed there. */
const SLOTS = 4096;
const slotLength = new Uint8Array(SLOTS); // length + 1; 0 = empty
const slotWords = new Int32Array(SLOTS * (SHORT / 4));
const slotString: string[] = new Array<string>(SLOTS).fill("");

/** The bytes at `q`, `q + 1`, ... as one big-endian int32 (4 bytes, or fewer for `n` < 4). */
function word(s: Uint8Array, q: number, n: number): number {
  if (n >= 4) return ((s[q] as number) << 24) | ((s[q + 1] as number) << 16) | ((s[q + 2] as number) << 8) | (s[q + 3] as number);
  let w = 0;
  for (let i = 0; i < n; i++) w = (w << 8) | (s[q + i] as number);
  return w;
}

/**
 * Like decodeString, for map keys: a key seen before comes back as the same
 * string (which V8 has already resolved as a property name), so a decoder
 * reading many packets of the same shape builds almost no key strings. The
 * slot hashes the length and four of the bytes (constant time); the cache is
 * exact (all bytes are compared), so a collision only costs a miss.
 */
export function keyString(s: Uint8Array, p: number, n: number): string {
  if (n > SHORT) return decodeString(s, p, n);
  const last = p + n - 1;
  const h = n === 0 ? 0 : (n << 24) ^ ((s[p] as number) << 16) ^ ((s[p + (n >> 1)] as number) << 8) ^ (s[last] as number) ^ ((s[p + ((n + 1) >> 2)] as number) << 4);
  const slot = (Math.imul(h, 0x9e3779b1) >>> 20) & (SLOTS - 1);
  const base = slot * (SHORT / 4);
  if (slotLength[slot] === n + 1) {
    let i = 0;
    while (i < n && word(s, p + i, n - i) === slotWords[base + (i >> 2)]) i += 4;
    if (i >= n) return slotString[slot] as string;
  }
  const str = decodeString(s, p, n);
  for (let i = 0; i < n; i += 4) slotWords[base + (i >> 2)] = word(s, p + i, n - i);
  slotLength[slot] = n + 1;
  slotString[slot] = str;
  return str;
}
