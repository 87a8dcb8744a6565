/** One UTF-16 surrogate without its partner: not representable in UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type MaybeWellFormed = { toWellFormed?: () => string };

/** `s` with every lone surrogate replaced by U+FFFD, as TextEncoder and WebSocket.send do. */
export function toWellFormed(s: string): string {
  const native = (s as unknown as MaybeWellFormed).toWellFormed;
  return typeof native === "function" ? native.call(s) : s.replace(LONE_SURROGATE, "\uFFFD");
}

export function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` in which every string (object keys included) inside plain
 * objects, arrays and Maps is well-formed. Other values are shared, not copied.
 * Encoders use it only on the rare message that holds a lone surrogate.
 */
export function wellFormedCopy(value: unknown): unknown {
  if (typeof value === "string") return toWellFormed(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(wellFormedCopy);
  if (value instanceof Map) return new Map(copyEntries(value));
  if (!isPlainObject(value)) return value;
  // fromEntries defines properties, it does not assign: a "__proto__" key stays an own data property.
  return Object.fromEntries(copyEntries(Object.entries(value)));
}

/** Entries with well-formed keys and values (object keys are strings: wellFormedCopy is toWellFormed). */
function copyEntries(entries: Iterable<[unknown, unknown]>): [unknown, unknown][] {
  return Array.from(entries, ([k, v]) => [wellFormedCopy(k), wellFormedCopy(v)]);
}

/** True when UTF-8 output holds an encoded surrogate (ED A0..BF): invalid UTF-8. */
export function hasSurrogateBytes(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xed); i !== -1 && i + 1 < bytes.length; i = bytes.indexOf(0xed, i + 1)) {
    const next = bytes[i + 1] as number;
    if (next >= 0xa0 && next <= 0xbf) return true;
  }
  return false;
}
