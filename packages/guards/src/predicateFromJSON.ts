import { isPlainObject } from "./isTruthy.js";
import { MAX_PREDICATE_DEPTH, type Predicate } from "./predicate.js";
import { PredicateJSONError } from "./predicateJSONError.js";
import { All, Any, Has, Is, IsEqual, Not } from "./predicates.js";
import { decodeValue } from "./predicateValue.js";

const OPS = '"is", "has", "isEqual", "any", "all", "not"';
const SHAPES: Readonly<Record<string, readonly string[]>> = {
  is: ["op", "key"],
  has: ["op", "key"],
  isEqual: ["op", "key", "value"],
  any: ["op", "of"],
  all: ["op", "of"],
  not: ["op", "of"],
};

/**
 * Rebuilds a predicate from its JSON form (the output of `Predicate.toJSON()`,
 * either as an object or as a JSON string). The input is untrusted: it is fully
 * validated, unknown properties are refused, and nesting is limited to
 * `MAX_PREDICATE_DEPTH`.
 *
 * @example predicateFromJSON({ op: "all", of: [{ op: "has", key: "username" }] })
 * @throws PredicateJSONError (a TypeError) saying where and what is wrong.
 */
export function predicateFromJSON(json: unknown): Predicate {
  let input = json;
  if (typeof json === "string") {
    try {
      input = JSON.parse(json);
    } catch (error) {
      throw new PredicateJSONError("$", `not valid JSON (${(error as Error).message}).`, { cause: error });
    }
  }
  return parse(input, "$", 1);
}

function parse(node: unknown, path: string, depth: number): Predicate {
  if (depth > MAX_PREDICATE_DEPTH) {
    throw new PredicateJSONError(path, `predicates nest at most ${MAX_PREDICATE_DEPTH} deep.`);
  }
  if (!isPlainObject(node)) {
    const got = node === null ? "null" : Array.isArray(node) ? "an array" : typeof node;
    throw new PredicateJSONError(path, `expected an object like {"op": "is", "key": "is_admin"}, got ${got}.`);
  }
  const op = node["op"];
  const shape = typeof op === "string" && Object.hasOwn(SHAPES, op) ? SHAPES[op] : undefined;
  if (shape === undefined) {
    throw new PredicateJSONError(`${path}.op`, `expected one of ${OPS}, got ${JSON.stringify(op) ?? "nothing"}.`);
  }
  for (const key of Object.keys(node)) {
    if (!shape.includes(key)) {
      throw new PredicateJSONError(`${path}.${key}`, `unknown property for op "${String(op)}"; expected only ${shape.join(", ")}.`);
    }
  }
  for (const key of shape) {
    if (!Object.hasOwn(node, key)) throw new PredicateJSONError(`${path}.${key}`, "missing.");
  }
  switch (op) {
    case "is":
      return Is(readKey(node, path));
    case "has":
      return Has(readKey(node, path));
    case "isEqual":
      return IsEqual(readKey(node, path), decodeValue(node["value"], `${path}.value`));
    case "not":
      return Not(parse(node["of"], `${path}.of`, depth + 1));
    default: {
      const of = node["of"];
      if (!Array.isArray(of)) throw new PredicateJSONError(`${path}.of`, "expected an array of predicates.");
      const children = of.map((child, i) => parse(child, `${path}.of[${i}]`, depth + 1));
      return op === "any" ? Any(...children) : All(...children);
    }
  }
}

function readKey(node: Record<string, unknown>, path: string): string {
  const key = node["key"];
  if (typeof key !== "string" || key === "") {
    throw new PredicateJSONError(`${path}.key`, "expected a non-empty string.");
  }
  return key;
}
