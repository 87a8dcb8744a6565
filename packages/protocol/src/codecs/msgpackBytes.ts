/** Pre-encoded msgpack bytes: numbers are single bytes, strings become fixstr (short, ASCII). */
export function bytesOf(...parts: Array<string | number>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else out.push(0xa0 | p.length, ...Array.from(p, (c) => c.charCodeAt(0)));
  }
  return Uint8Array.from(out);
}

/** Bytes to copy, with their first 4 × ⌊n/4⌋ bytes also as big-endian int32 words (written four at a time). */
export interface ByteRun {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
}

/** A ByteRun of pre-encoded msgpack bytes (see bytesOf). */
export function runOf(...parts: Array<string | number>): ByteRun {
  const bytes = bytesOf(...parts);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = Int32Array.from({ length: bytes.length >> 2 }, (_, i) => view.getInt32(4 * i));
  return { bytes, words };
}

/** Bytes to compare against, with their first 4 × ⌊n/4⌋ bytes also as big-endian int32 words (compared four at a time). */
export interface BytePattern {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
}

/** A BytePattern of pre-encoded msgpack bytes (see bytesOf). */
export function patternOf(...parts: Array<string | number>): BytePattern {
  return runOf(...parts);
}
