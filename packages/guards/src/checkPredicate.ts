import { isSerializablePredicate, type Predicate, type PredicateTarget } from "./predicate.js";

/**
 * A rule accepted wherever webshocket takes a predicate: a serializable
 * {@link Predicate} (`Is`, `Has`, `IsEqual`, `Any`, `All`, `Not`), or a plain
 * function of the connection.
 *
 * A function is **local-only**: it cannot be serialized, so it cannot travel
 * with a publish to another server node, and it cannot be nested in
 * `Any`/`All`/`Not`. Only a return value of exactly `true` grants access; a
 * function that throws or returns anything else (including a Promise) denies.
 */
export type PredicateLike<C extends PredicateTarget = PredicateTarget> = Predicate | ((conn: C) => boolean);

/**
 * Evaluates `p` for `conn`. Never throws: a predicate that throws, or a
 * function that returns a (possibly rejecting) Promise, counts as `false`.
 *
 * @param onError Called with whatever `p` threw or rejected with. Optional;
 *   errors are swallowed when it is omitted.
 */
export function checkPredicate<C extends PredicateTarget>(
  p: PredicateLike<C>,
  conn: C,
  onError?: (error: unknown) => void,
): boolean {
  try {
    if (isSerializablePredicate(p)) return p.test(conn.state) === true;
    if (typeof p !== "function") return false;
    const result: unknown = p(conn);
    if (isThenable(result)) {
      // An async predicate is a mistake; deny, and keep a rejection from going unhandled.
      result.then(undefined, (error: unknown) => report(onError, error));
      return false;
    }
    return result === true;
  } catch (error) {
    report(onError, error);
    return false;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function report(onError: ((error: unknown) => void) | undefined, error: unknown): void {
  try {
    onError?.(error);
  } catch {
    // A failing error hook must not break the caller either.
  }
}
