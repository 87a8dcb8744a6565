import { deepEqual } from "./deepEqual.js";
import { isTruthy } from "./isTruthy.js";
import {
  getOwn,
  hasOwn,
  isSerializablePredicate,
  MAX_PREDICATE_DEPTH,
  Predicate,
  type PredicateJSON,
  type SessionState,
} from "./predicate.js";
import { encodeValue, formatValue, snapshotValue, type PredicateValue } from "./predicateValue.js";

function checkKey(key: unknown, factory: string): string {
  if (typeof key !== "string" || key === "") {
    throw new TypeError(`${factory}(key) needs a non-empty string key, got ${typeof key === "string" ? '""' : typeof key}.`);
  }
  return key;
}

function checkChildren(children: readonly unknown[], factory: string): readonly Predicate[] {
  children.forEach((child, i) => {
    if (isSerializablePredicate(child)) return;
    const hint =
      typeof child === "function"
        ? " Plain function predicates are local-only and cannot be combined; write one function instead."
        : "";
    throw new TypeError(`${factory}() argument ${i} is not a predicate (Is, Has, IsEqual, Any, All or Not).${hint}`);
  });
  return Object.freeze([...(children as readonly Predicate[])]);
}

function depthOf(children: readonly Predicate[], factory: string): number {
  const depth = 1 + children.reduce((max, child) => Math.max(max, child.depth), 0);
  if (depth > MAX_PREDICATE_DEPTH) {
    throw new RangeError(`${factory}(): predicates nest at most ${MAX_PREDICATE_DEPTH} deep.`);
  }
  return depth;
}

/** `Is(key)`: the state's own `key` is truthy (Python truthiness, see `isTruthy`). */
export class IsPredicate extends Predicate {
  readonly op = "is";
  readonly depth = 1;
  readonly key: string;
  constructor(key: string) {
    super();
    this.key = checkKey(key, "Is");
  }
  test(state: SessionState): boolean {
    return isTruthy(getOwn(state, this.key));
  }
  toJSON(): { op: "is"; key: string } {
    return { op: "is", key: this.key };
  }
  toString(): string {
    return `Is(${JSON.stringify(this.key)})`;
  }
}

/** `Has(key)`: the state has an own property `key`, whatever its value (even `null`/`undefined`). */
export class HasPredicate extends Predicate {
  readonly op = "has";
  readonly depth = 1;
  readonly key: string;
  constructor(key: string) {
    super();
    this.key = checkKey(key, "Has");
  }
  test(state: SessionState): boolean {
    return hasOwn(state, this.key);
  }
  toJSON(): { op: "has"; key: string } {
    return { op: "has", key: this.key };
  }
  toString(): string {
    return `Has(${JSON.stringify(this.key)})`;
  }
}

/** `IsEqual(key, value)`: the state's own `key` deep-equals `value` (see `deepEqual`). */
export class IsEqualPredicate extends Predicate {
  readonly op = "isEqual";
  readonly depth = 1;
  readonly key: string;
  /** A frozen copy of the expected value. */
  readonly value: PredicateValue;
  constructor(key: string, value: PredicateValue) {
    super();
    this.key = checkKey(key, "IsEqual");
    this.value = snapshotValue(value, "IsEqual(key, value): value");
  }
  test(state: SessionState): boolean {
    return hasOwn(state, this.key) && deepEqual(getOwn(state, this.key), this.value);
  }
  toJSON(): PredicateJSON {
    return { op: "isEqual", key: this.key, value: encodeValue(this.value) };
  }
  toString(): string {
    return `IsEqual(${JSON.stringify(this.key)}, ${formatValue(this.value)})`;
  }
}

/** `Any(...predicates)`: at least one passes. `Any()` with no predicates is false. */
export class AnyPredicate extends Predicate {
  readonly op = "any";
  readonly depth: number;
  readonly predicates: readonly Predicate[];
  constructor(predicates: readonly Predicate[]) {
    super();
    this.predicates = checkChildren(predicates, "Any");
    this.depth = depthOf(this.predicates, "Any");
  }
  test(state: SessionState): boolean {
    return this.predicates.some((p) => p.test(state));
  }
  toJSON(): PredicateJSON {
    return { op: "any", of: this.predicates.map((p) => p.toJSON()) };
  }
  toString(): string {
    return `Any(${this.predicates.map(String).join(", ")})`;
  }
}

/** `All(...predicates)`: every one passes. `All()` with no predicates is true. */
export class AllPredicate extends Predicate {
  readonly op = "all";
  readonly depth: number;
  readonly predicates: readonly Predicate[];
  constructor(predicates: readonly Predicate[]) {
    super();
    this.predicates = checkChildren(predicates, "All");
    this.depth = depthOf(this.predicates, "All");
  }
  test(state: SessionState): boolean {
    return this.predicates.every((p) => p.test(state));
  }
  toJSON(): PredicateJSON {
    return { op: "all", of: this.predicates.map((p) => p.toJSON()) };
  }
  toString(): string {
    return `All(${this.predicates.map(String).join(", ")})`;
  }
}

/** `Not(predicate)`: the predicate fails. */
export class NotPredicate extends Predicate {
  readonly op = "not";
  readonly depth: number;
  readonly predicate: Predicate;
  constructor(predicate: Predicate) {
    super();
    [this.predicate] = checkChildren([predicate], "Not") as [Predicate];
    this.depth = depthOf([this.predicate], "Not");
  }
  test(state: SessionState): boolean {
    return !this.predicate.test(state);
  }
  toJSON(): PredicateJSON {
    return { op: "not", of: this.predicate.toJSON() };
  }
  toString(): string {
    return `Not(${String(this.predicate)})`;
  }
}

/** The state's own `key` is truthy, with Python truthiness: `[]`, `{}`, `""`, `0`, `NaN`, `null`, `false` are falsy. */
export function Is(key: string): IsPredicate {
  return new IsPredicate(key);
}
/** The state has an own property `key`, even when its value is falsy or `null`. */
export function Has(key: string): HasPredicate {
  return new HasPredicate(key);
}
/** The state's own `key` deep-equals `value` (JSON-like data or bigint; copied and frozen). */
export function IsEqual(key: string, value: PredicateValue): IsEqualPredicate {
  return new IsEqualPredicate(key, value);
}
/** At least one of `predicates` passes; `Any()` is false. */
export function Any(...predicates: Predicate[]): AnyPredicate {
  return new AnyPredicate(predicates);
}
/** Every one of `predicates` passes; `All()` is true. */
export function All(...predicates: Predicate[]): AllPredicate {
  return new AllPredicate(predicates);
}
/** `predicate` fails. */
export function Not(predicate: Predicate): NotPredicate {
  return new NotPredicate(predicate);
}
