import { exceedsDepth, MAX_DEPTH } from "@webshocket/protocol";
import { isPlainObject } from "./isTruthy.js";
import { PredicateJSONError } from "./predicateJSONError.js";

/** A value `IsEqual` compares against: JSON data plus `bigint`. */
export type PredicateValue =
  | null
  | boolean
  | number
  | string
  | bigint
  | readonly PredicateValue[]
  | { readonly [key: string]: PredicateValue };

/** Plain JSON data. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const BIGINT_TAG = "$bigint";
const BIGINT_PATTERN = /^-?(?:0|[1-9]\d*)$/;
const ACCEPTED = "null, a boolean, a finite number, a string, a bigint, an array or a plain object";

/** Defines an own enumerable property, even for keys like `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value !== "object" || value === null) return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object";
}

/**
 * Validates `value` as a {@link PredicateValue} and returns a frozen deep copy.
 * @throws TypeError naming the offending path when it is not JSON-like data.
 */
export function snapshotValue(value: unknown, path = "value"): PredicateValue {
  if (exceedsDepth(value, MAX_DEPTH)) {
    throw new TypeError(`${path} is nested deeper than ${MAX_DEPTH} levels, or circular.`);
  }
  return snapshot(value, path);
}

function snapshot(value: unknown, path: string): PredicateValue {
  switch (typeof value) {
    case "boolean":
    case "string":
    case "bigint":
      return value;
    case "number":
      if (Number.isFinite(value)) return value;
      break;
    case "object":
      if (value === null) return null;
      if (Array.isArray(value)) {
        const items: PredicateValue[] = [];
        for (let i = 0; i < value.length; i++) items.push(snapshot(value[i], `${path}[${i}]`));
        return Object.freeze(items);
      }
      if (isPlainObject(value)) {
        const copy: Record<string, unknown> = {};
        for (const key of Object.keys(value)) setOwn(copy, key, snapshot(value[key], `${path}.${key}`));
        return Object.freeze(copy) as { readonly [key: string]: PredicateValue };
      }
      break;
  }
  throw new TypeError(`${path} is ${describe(value)}; expected ${ACCEPTED}.`);
}

/**
 * JSON form of a {@link PredicateValue}: a bigint becomes `{"$bigint": "123"}`,
 * and object keys starting with `$` get one more `$` so they cannot be mistaken
 * for that tag. Everything else is unchanged.
 */
export function encodeValue(value: PredicateValue): JsonValue {
  if (typeof value === "bigint") return { [BIGINT_TAG]: value.toString() };
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return (value as readonly PredicateValue[]).map(encodeValue);
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, PredicateValue>)) {
    setOwn(out, key.startsWith("$") ? `$${key}` : key, encodeValue(item));
  }
  return out;
}

/**
 * Inverse of {@link encodeValue}, validating as it goes.
 * @throws PredicateJSONError naming the offending path.
 */
export function decodeValue(json: unknown, path: string): PredicateValue {
  if (exceedsDepth(json, MAX_DEPTH)) {
    throw new PredicateJSONError(path, `value is nested deeper than ${MAX_DEPTH} levels, or circular.`);
  }
  return decode(json, path);
}

function decode(json: unknown, path: string): PredicateValue {
  if (json === null || typeof json === "boolean" || typeof json === "string") return json;
  if (typeof json === "number" && Number.isFinite(json)) return json;
  if (Array.isArray(json)) return json.map((item, i) => decode(item, `${path}[${i}]`));
  if (!isPlainObject(json)) throw new PredicateJSONError(path, `got ${describe(json)}; expected JSON data.`);
  const keys = Object.keys(json);
  if (keys.length === 1 && keys[0] === BIGINT_TAG) {
    const digits = json[BIGINT_TAG];
    if (typeof digits === "string" && BIGINT_PATTERN.test(digits)) return BigInt(digits);
    throw new PredicateJSONError(`${path}.${BIGINT_TAG}`, 'expected a string of decimal digits like "-123".');
  }
  const out: Record<string, PredicateValue> = {};
  for (const key of keys) {
    if (key.startsWith("$") && !key.startsWith("$$")) {
      throw new PredicateJSONError(
        `${path}.${key}`,
        `unknown tag ${JSON.stringify(key)}; only {"${BIGINT_TAG}": "<digits>"} is a tag, and a key starting with "$" is written with "$$".`,
      );
    }
    setOwn(out, key.startsWith("$") ? key.slice(1) : key, decode(json[key], `${path}.${key}`));
  }
  return out;
}

/** Readable form of a value for `toString()`: JSON, with bigints as `123n`. */
export function formatValue(value: PredicateValue): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly PredicateValue[]).map(formatValue).join(", ")}]`;
  const entries = Object.entries(value as Record<string, PredicateValue>);
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${formatValue(item)}`).join(", ")}}`;
}
