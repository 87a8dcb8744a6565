/**
 * The reference for the codec's msgpack encoders: msgpackr's bytes (MSGPACK_OPTIONS), with the
 * numbers msgpackr writes otherwise than webshocket (PROTOCOL.md §7) written by the independent
 * encoder of canonicalMsgpack.ts instead: integers with 2^32 <= |n| <= 2^53 - 1 (msgpackr: float64;
 * here uint64/int64) and -0 (msgpackr: fixint 0; here float64, so it round-trips).
 */
import { packr } from "../src/codecs/msgpackOptions.js";
import { canonicalInteger } from "./canonicalMsgpack.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const NEGATIVE_ZERO = "cb8000000000000000";

function differs(n: number): boolean {
  return Object.is(n, -0) || (Number.isSafeInteger(n) && n >>> 0 !== n && n >> 0 !== n);
}

/** msgpackr's hex for `value`, the numbers of differs() written as webshocket writes them. Walks arrays, plain objects, Maps and Sets. */
export function referenceHex(value: unknown): string {
  const swaps = new Map<string, string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "number" && differs(v)) {
      const marker = `\u0001\u0002\u0003#${String(swaps.size).padStart(6, "0")}`;
      swaps.set(hex(new TextEncoder().encode(marker)), Object.is(v, -0) ? NEGATIVE_ZERO : hex(canonicalInteger(v)));
      return marker;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) return new Map(Array.from(v, ([k, x]) => [walk(k), walk(x)]));
    if (v instanceof Set) return new Set(Array.from(v, walk));
    if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: walk(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  let text = hex(packr.pack(walk(value)));
  // Each marker is a fixstr: its header (0xaa, 10 bytes) and its bytes.
  for (const [marker, bytes] of swaps) text = text.replace(`aa${marker}`, bytes);
  return text;
}
