import { compileChecker } from "@webshocket/protocol";
import { markRpcMethod, type RpcMethodOptions } from "./rpcMethod.js";

/** True unless NODE_ENV is "production": where `returns` schemas are checked by default. */
export function developmentMode(): boolean {
  return globalThis.process?.env?.["NODE_ENV"] !== "production";
}

/**
 * The function dispatch calls: `fn` itself, or, when a `returns` schema is to be checked, a wrapper that checks
 * the result (each yielded value of a stream) and throws, so the caller gets INTERNAL_SERVER_ERROR and
 * `onError` the mismatch. Methods without a `returns` schema keep the plain call.
 */
export function checkReturns(name: string, fn: Function, options: RpcMethodOptions, streaming: boolean): Function {
  const schema = options.returns;
  if (schema === undefined || !(options.validateReturns ?? developmentMode())) return fn;
  const checker = compileChecker<unknown>(schema);
  const check = (value: unknown): unknown => {
    if (!checker.check(value)) {
      throw new TypeError(`RPC method '${name}' returned a value its returns schema refuses: ${checker.firstError(value)}`);
    }
    return value;
  };
  const wrapper = streaming
    ? async function* (this: unknown, ...args: unknown[]) {
        for await (const value of fn.apply(this, args) as AsyncIterable<unknown>) yield check(value);
      }
    : function (this: unknown, ...args: unknown[]): unknown {
        const result: unknown = fn.apply(this, args);
        if (typeof result === "object" && result !== null && typeof (result as PromiseLike<unknown>).then === "function") {
          return Promise.resolve(result).then(check);
        }
        return check(result);
      };
  return markRpcMethod(wrapper, options); // readers of the entry's function (AsyncAPI) still see its options
}
