/** Thrown by `predicateFromJSON` when its input is not a valid predicate. */
export class PredicateJSONError extends TypeError {
  /** Where in the input the problem is, e.g. `$.of[1].key`. */
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`Invalid predicate JSON at ${path}: ${problem}`, options);
    this.name = "PredicateJSONError";
    this.path = path;
  }
}
