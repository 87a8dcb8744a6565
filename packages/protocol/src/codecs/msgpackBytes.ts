/** Pre-encoded msgpack bytes: numbers are single bytes, strings become fixstr (short, ASCII). */
export function bytesOf(...parts: Array<string | number>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else out.push(0xa0 | p.length, ...Array.from(p, (c) => c.charCodeAt(0)));
  }
  return Uint8Array.from(out);
}

/**
 * Bytes to compare against or copy, with their first 4 × ⌊n/4⌋ bytes also as big-endian int32 words
 * (compared four at a time), and both counts as plain numbers: on Node 20 a typed array's `length`
 * costs a load and a conversion at each use, and the hot loops read these counts instead (apps/bench 64×16,
 * with the other changes of that commit: −7.7% server CPU per call, paired).
 */
export interface BytePattern {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  /** `bytes.length`. */
  readonly n: number;
  /** `words.length`. */
  readonly nw: number;
}

/** `bytes` as a BytePattern. */
export function patternFrom(bytes: Uint8Array): BytePattern {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = Int32Array.from({ length: bytes.length >> 2 }, (_, i) => view.getInt32(4 * i));
  return { bytes, words, n: bytes.length, nw: words.length };
}

/** A BytePattern of pre-encoded msgpack bytes (see bytesOf). */
export function patternOf(...parts: Array<string | number>): BytePattern {
  return patternFrom(bytesOf(...parts));
}

/**
 * Word `i` of `k` (see BytePattern), for code that writes or compares a pattern as unrolled constants;
 * throws at module load if the pattern is shorter than that code assumes.
 */
export function wordAt(k: BytePattern, i: number): number {
  const w = k.words[i];
  if (w === undefined) throw new RangeError(`pattern of ${k.n} bytes has no word ${i}`);
  return w;
}

/** The first `count` words of `k` (see wordAt). */
export function wordsAt(k: BytePattern, count: number): number[] {
  return Array.from({ length: count }, (_, i) => wordAt(k, i));
}

/** Byte `i` of `k`, checked like wordAt. */
export function byteAt(k: BytePattern, i: number): number {
  const b = k.bytes[i];
  if (b === undefined) throw new RangeError(`pattern of ${k.n} bytes has no byte ${i}`);
  return b;
}

/** msgpack type bytes: an array, a map or a string header comes next. */
export const isArrayByte = (b: number): boolean => (b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd;
export const isMapByte = (b: number): boolean => (b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf;
export const isStringByte = (b: number): boolean => (b >= 0xa0 && b <= 0xbf) || b === 0xd9 || b === 0xda || b === 0xdb;
