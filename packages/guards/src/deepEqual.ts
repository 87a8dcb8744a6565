import { isPlainObject } from "./isTruthy.js";
import type { PredicateValue } from "./predicateValue.js";

/**
 * Deep equality of an arbitrary state value with a JSON-like expected value,
 * as `IsEqual` uses it.
 *
 * - Primitives compare with `===` (so `0` equals `-0`); strings, booleans and
 *   `null` never equal anything of another type (`true` is not `1`).
 * - A `bigint` equals a `number` holding the same integer (`1n` equals `1`),
 *   as Python's single integer type would have it.
 * - Arrays equal arrays of the same length with equal items, in order.
 * - Plain objects equal plain objects with the same own enumerable keys and
 *   equal values, in any key order. Class instances (`Date`, `Map`, ...) never
 *   equal an expected object.
 *
 * The recursion follows `expected`, which is finite and acyclic, so a circular
 * `actual` cannot loop.
 */
export function deepEqual(actual: unknown, expected: PredicateValue): boolean {
  if (typeof expected === "bigint") {
    if (typeof actual === "bigint") return actual === expected;
    return typeof actual === "number" && Number.isInteger(actual) && BigInt(actual) === expected;
  }
  if (typeof expected === "number" && typeof actual === "bigint") {
    return Number.isInteger(expected) && BigInt(expected) === actual;
  }
  if (typeof expected !== "object" || expected === null) return actual === expected;
  if (Array.isArray(expected)) {
    const items = expected as readonly PredicateValue[];
    if (!Array.isArray(actual) || actual.length !== items.length) return false;
    return items.every((item, i) => deepEqual(actual[i], item));
  }
  if (!isPlainObject(actual)) return false;
  const object = expected as Readonly<Record<string, PredicateValue>>;
  const keys = Object.keys(object);
  if (Object.keys(actual).length !== keys.length) return false;
  return keys.every(
    (key) => Object.prototype.propertyIsEnumerable.call(actual, key) && deepEqual(actual[key], object[key] as PredicateValue),
  );
}
