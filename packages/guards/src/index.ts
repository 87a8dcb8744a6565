// Predicates
export {
  isSerializablePredicate,
  MAX_PREDICATE_DEPTH,
  Predicate,
  type PredicateJSON,
  type PredicateOp,
  type PredicateTarget,
  type SessionState,
} from "./predicate.js";
export {
  All,
  AllPredicate,
  Any,
  AnyPredicate,
  Has,
  HasPredicate,
  Is,
  IsEqual,
  IsEqualPredicate,
  IsPredicate,
  Not,
  NotPredicate,
} from "./predicates.js";
export { checkPredicate, type PredicateLike } from "./checkPredicate.js";
export { predicateFromJSON } from "./predicateFromJSON.js";
export { PredicateJSONError } from "./predicateJSONError.js";
export { decodeValue, encodeValue, type JsonValue, type PredicateValue } from "./predicateValue.js";
export { deepEqual } from "./deepEqual.js";
export { isTruthy } from "./isTruthy.js";

// Rate limiting
export * from "./rate-limit/index.js";
