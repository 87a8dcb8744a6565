import type { TSchema } from "@sinclair/typebox";
import type { PredicateLike } from "@webshocket/guards";

/** Where `@rpcMethod` keeps its options on the method's function object. */
export const RPC_METHOD = Symbol.for("webshocket.rpcMethod");

/** Options of `@rpcMethod`. */
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
   * An object maps parameter names (in order) to schemas; an array is positional.
   * Default: none (arguments are passed unchecked).
   */
  params?: Record<string, TSchema> | readonly TSchema[];
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

/**
 * Exposes a handler method to clients by name. A standard (TC39) decorator;
 * stacks with `@rateLimit` in either order. Methods that are async generators
 * become streaming RPCs. Also usable on a plain function: `rpcMethod()(fn)`.
 *
 * @example
 * class MathHandler extends WebSocketHandler {
 *   @rpcMethod() add(conn: ClientConnection, a: number, b: number) { return a + b; }
 *   @rpcMethod({ alias: "multiply" }) mul(conn: ClientConnection, a: number, b: number) { return a * b; }
 * }
 */
export function rpcMethod(options: RpcMethodOptions = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return function <F extends object>(value: F, context?: ClassMethodDecoratorContext<any, any>): F {
    if (context !== undefined && context.kind !== "method") {
      throw new TypeError(`@rpcMethod can only decorate methods, not a ${context.kind}.`);
    }
    return markRpcMethod(value, options);
  };
}
