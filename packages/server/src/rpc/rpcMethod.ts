import type { TSchema } from "@sinclair/typebox";
import type { PredicateLike } from "@webshocket/guards";
import type { CheckedMethod, ParamsSchema } from "./rpcTypes.js";

/** Where `@rpcMethod` keeps its options on the method's function object. */
export const RPC_METHOD = Symbol.for("webshocket.rpcMethod");

/** Options of `@rpcMethod` and `rpc()`. */
export interface RpcMethodOptions {
  /** Name clients call instead of the method's own name (which is then hidden). Default: the method name. */
  alias?: string;
  /**
   * Access predicate checked against the caller's session state before the call;
   * failing it answers ACCESS_DENIED. Default: none (anyone may call).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  requires?: PredicateLike<any>;
  /**
   * typebox schemas checked before the method runs; failing answers INVALID_PARAMS.
   * An array is positional, and TypeScript checks it against the method's parameters
   * (`Type.Optional(...)` for a parameter that may be left out); an object maps parameter
   * names (in order) to schemas, checked at run time only.
   * Default: none (arguments are passed unchecked; left-out trailing ones are `undefined`).
   */
  params?: ParamsSchema;
  /**
   * typebox schema of the result (of each yielded value, for a stream). TypeScript checks the
   * method's result type against it; at run time a refused result becomes INTERNAL_SERVER_ERROR
   * (and `onError`) when `validateReturns` is on. Default: none.
   */
  returns?: TSchema;
  /** Whether `returns` is checked at run time. Default: true unless `NODE_ENV` is "production". */
  validateReturns?: boolean;
}

/** Marks a function as an RPC method. */
export function markRpcMethod<F extends object>(fn: F, options: RpcMethodOptions = {}): F {
  if (typeof fn !== "function") throw new TypeError("rpcMethod can only mark functions.");
  if (options.alias !== undefined && (typeof options.alias !== "string" || options.alias === "")) {
    throw new TypeError("rpcMethod: alias must be a non-empty string.");
  }
  Object.defineProperty(fn, RPC_METHOD, { value: { ...options }, configurable: true });
  return fn;
}

/** The options a function was marked with, or undefined when it is not an RPC method. */
export function getRpcMethodOptions(fn: unknown): RpcMethodOptions | undefined {
  return typeof fn === "function" ? (fn as { [RPC_METHOD]?: RpcMethodOptions })[RPC_METHOD] : undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMethod = (...args: any) => any;

/**
 * What `@rpcMethod(options)` returns: a standard (TC39) method decorator, a legacy
 * (`experimentalDecorators`) one, and a marker for plain functions. Each checks the method
 * against the options' schemas: a mismatch makes the decoration a compile error.
 */
export interface RpcMethodDecorator<O> {
  /** TC39 decorator (TypeScript 5 default). */
  <This, F extends AnyMethod>(value: F, context: ClassMethodDecoratorContext<This, F>): CheckedMethod<F, O>;
  /** `rpcMethod(options)(fn)` on a plain function. */
  <F extends AnyMethod>(value: F): CheckedMethod<F, O>;
  /** Legacy decorator (`experimentalDecorators: true`). */
  <F extends AnyMethod>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): CheckedMethod<F, O> extends F ? void : CheckedMethod<F, O>;
}

/**
 * Exposes a handler method to clients by name. Works as a standard (TC39) decorator and,
 * in projects with `experimentalDecorators: true`, as a legacy one; stacks with `@rateLimit`
 * in either order. Methods that are async generators become streaming RPCs. Also usable on a
 * plain function: `rpcMethod()(fn)`. For a typed client that sees aliases and only RPC
 * methods, declare methods as `rpc()` fields instead.
 *
 * @example
 * class MathHandler extends WebSocketHandler {
 *   @rpcMethod() add(conn: ClientConnection, a: number, b: number) { return a + b; }
 *   @rpcMethod({ alias: "multiply" }) mul(conn: ClientConnection, a: number, b: number) { return a * b; }
 *   @rpcMethod({ params: [Type.String(), Type.Optional(Type.Integer())] })
 *   repeat(conn: ClientConnection, text: string, times?: number) { return text.repeat(times ?? 1); }
 * }
 */
export function rpcMethod<const O extends RpcMethodOptions = {}>(options?: O): RpcMethodDecorator<O> {
  const opts: RpcMethodOptions = options ?? {};
  return function (value: unknown, context?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (typeof context === "string" || typeof context === "symbol") {
      // Legacy decorator: (prototype, key, descriptor).
      if (descriptor === undefined || typeof descriptor.value !== "function") {
        throw new TypeError(`@rpcMethod can only decorate methods, not '${String(context)}'.`);
      }
      markRpcMethod(descriptor.value as object, opts);
      return descriptor;
    }
    const kind = (context as { kind?: unknown } | undefined)?.kind;
    if (context !== undefined && kind !== "method") {
      throw new TypeError(`@rpcMethod can only decorate methods, not a ${String(kind)}.`);
    }
    return markRpcMethod(value as object, opts);
  } as RpcMethodDecorator<O>;
}
