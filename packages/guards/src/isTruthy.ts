/**
 * Python truthiness, which `Is(key)` uses (the Python library this follows
 * decides with `bool(value)`).
 *
 * Falsy: `undefined`, `null`, `false`, `0`, `-0`, `NaN`, `0n`, `""`, an empty
 * array, an empty plain object (no own enumerable keys), an empty `Map` or
 * `Set`, and an empty typed array / `Buffer` / `DataView`. Everything else is
 * truthy, including class instances such as `Date`.
 *
 * This differs from JavaScript only for empty arrays, objects, maps, sets and
 * byte arrays, which JavaScript considers truthy.
 */
export function isTruthy(value: unknown): boolean {
  switch (typeof value) {
    case "undefined":
      return false;
    case "boolean":
      return value;
    case "number":
      return value !== 0 && !Number.isNaN(value);
    case "bigint":
      return value !== 0n;
    case "string":
      return value.length > 0;
    case "object":
      if (value === null) return false;
      if (Array.isArray(value)) return value.length > 0;
      if (value instanceof Map || value instanceof Set) return value.size > 0;
      if (ArrayBuffer.isView(value)) return value.byteLength > 0;
      if (isPlainObject(value)) return Object.keys(value).length > 0;
      return true;
    default:
      return true;
  }
}

/** True for `{}`-style objects: prototype `Object.prototype` or `null`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
