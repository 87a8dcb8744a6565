import type { JsonValue } from "./predicateValue.js";

/** A connection's session state: whatever the application stored on it. */
export type SessionState = Record<string, unknown>;

/** Anything a predicate can be checked against: an object with a `state`. */
export interface PredicateTarget {
  readonly state: SessionState;
}

/** The serialized form of a built-in predicate (see {@link Predicate.toJSON}). */
export type PredicateJSON =
  | { op: "is"; key: string }
  | { op: "has"; key: string }
  | { op: "isEqual"; key: string; value: JsonValue }
  | { op: "any"; of: PredicateJSON[] }
  | { op: "all"; of: PredicateJSON[] }
  | { op: "not"; of: PredicateJSON };

/** The `op` of every built-in predicate. */
export type PredicateOp = PredicateJSON["op"];

/** Predicates nest at most this deep (`Is("a")` is depth 1, `Not(Is("a"))` depth 2). */
export const MAX_PREDICATE_DEPTH = 64;

/** Brand shared by every copy of this package, so predicates survive duplicated installs. */
const BRAND: unique symbol = Symbol.for("webshocket.predicate") as never;

/**
 * A serializable access rule evaluated against a connection's session state.
 *
 * Built-in predicates are plain data: {@link Predicate.toJSON} gives JSON that
 * `predicateFromJSON` turns back into an equal predicate, so a rule can be
 * shipped to another server node and evaluated there. Build them with the
 * factories `Is`, `Has`, `IsEqual`, `Any`, `All` and `Not`.
 */
export abstract class Predicate {
  /** The kind of predicate, as in its JSON form. */
  abstract readonly op: PredicateOp;
  /** Nesting depth: 1 for a leaf, 1 + the deepest child for a combinator. */
  abstract readonly depth: number;
  /**
   * Evaluates the rule against a session state. Never throws for a missing key,
   * and only looks at the state's own properties (no prototype lookups).
   */
  abstract test(state: SessionState): boolean;
  /** The JSON form, accepted by `predicateFromJSON`. */
  abstract toJSON(): PredicateJSON;
  /** Readable form, e.g. `All(Has("username"), IsEqual("role", "editor"))`. */
  abstract toString(): string;
}
Object.defineProperty(Predicate.prototype, BRAND, { value: true });

/**
 * True when `p` is a serializable (built-in style) predicate rather than a
 * plain function. Recognizes predicates from another copy of this package too.
 */
export function isSerializablePredicate(p: unknown): p is Predicate {
  if (p instanceof Predicate) return true;
  if (typeof p !== "object" || p === null) return false;
  const candidate = p as Partial<Record<typeof BRAND | "test" | "toJSON", unknown>>;
  return candidate[BRAND] === true && typeof candidate.test === "function" && typeof candidate.toJSON === "function";
}

/** The own property `key` of `state`, or `undefined`; never reads the prototype chain. */
export function getOwn(state: unknown, key: string): unknown {
  return hasOwn(state, key) ? (state as Record<string, unknown>)[key] : undefined;
}

/** True when `state` is an object with an own property `key`. */
export function hasOwn(state: unknown, key: string): boolean {
  return typeof state === "object" && state !== null && Object.hasOwn(state, key);
}
