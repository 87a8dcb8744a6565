// @ts-check
/**
 * The tagged JSON form the conformance files use for values plain JSON cannot
 * describe exactly: a bigint is `{"$bigint": "<decimal>"}`, bytes are
 * `{"$bytes": "<lowercase hex>"}`, a float beyond ±2^53 (which JSON readers
 * would take for an integer) is `{"$float": "<decimal>"}`, a msgpack timestamp
 * is `{"$date": "<ISO 8601>"}`. Everything else (null, booleans, other finite
 * numbers, strings, arrays, objects with string keys) stands for itself.
 */

/** Beyond this magnitude every float is integer-valued and needs the $float tag. */
const FLOAT_TAG_FROM = 2 ** 53;

/** @param {Uint8Array} bytes */
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** @param {string} hex */
export function fromHex(hex) {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new TypeError(`not lowercase hex: ${hex.slice(0, 40)}`);
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/**
 * @param {Record<string, unknown>} out
 * @param {string} key
 * @param {unknown} value
 */
function put(out, key, value) {
  // defineProperty, not assignment: a "__proto__" key stays an own data property.
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A decoded value → its tagged JSON form. Throws on what the form cannot say
 * (NaN, infinities, Dates, Maps, ...), so a vector never silently loses detail.
 * @param {unknown} value
 * @returns {unknown}
 */
export function toTagged(value) {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw new TypeError(`no tagged form for the number ${value}`);
    return Math.abs(value) > FLOAT_TAG_FROM ? { $float: String(value) } : value;
  }
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: toHex(value) };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(toTagged);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(value)) put(out, k, toTagged(v));
    return out;
  }
  throw new TypeError(`no tagged form for ${Object.prototype.toString.call(value)}`);
}

/**
 * The tagged JSON form → the value it describes.
 * @param {unknown} tagged
 * @returns {unknown}
 */
export function fromTagged(tagged) {
  if (Array.isArray(tagged)) return tagged.map(fromTagged);
  if (tagged === null || typeof tagged !== "object") return tagged;
  const entries = Object.entries(tagged);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && typeof first[1] === "string") {
    if (first[0] === "$bigint") return BigInt(first[1]);
    if (first[0] === "$bytes") return fromHex(first[1]);
    if (first[0] === "$float") return Number(first[1]);
    if (first[0] === "$date") return new Date(first[1]);
  }
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of entries) put(out, k, fromTagged(v));
  return out;
}
