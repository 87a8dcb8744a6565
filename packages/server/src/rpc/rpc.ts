import type { Static, TSchema } from "@sinclair/typebox";
import type { SessionState } from "@webshocket/guards";
import type { ClientConnection } from "../connection.js";
import { markRpcMethod, type RpcMethodOptions } from "./rpcMethod.js";
import type { StaticParams } from "./rpcTypes.js";

/** The key under which an `rpc()` function carries its wire name, at run time and for typed clients. */
export const RPC_INFO = "~rpc";

/** What an `rpc()` function says about itself: the name clients call it by, when not its field's name. */
export interface RpcInfo<Alias extends string | undefined = string | undefined> {
  readonly alias: Alias;
}

/**
 * A handler field declared with `rpc()`: the function, plus its `RpcInfo`. `client.typed<H>()` exposes exactly
 * these fields, under their wire names, so a typed client cannot call what the server does not accept.
 */
export type RpcField<F, Alias extends string | undefined = undefined> = F & { readonly [RPC_INFO]: RpcInfo<Alias> };

/** What a method may return under a `returns` schema: the value, a promise of it, or a stream of them. */
export type ResultFor<O> = O extends { returns: infer T extends TSchema }
  ? Static<T> | PromiseLike<Static<T>> | AsyncIterable<Static<T>> | Iterator<Static<T>>
  : unknown;

type AliasOf<O> = O extends { alias: infer A extends string } ? A : undefined;

/**
 * Declares an RPC method as a handler field; the typed client sees it (under its alias) and nothing else.
 * With a positional `params` schema the parameters are typed from it: one declaration gives the types and
 * the run-time validation. Options are `@rpcMethod`'s. The function is called with `this` = the handler
 * (arrow functions see the handler anyway) and the connection first.
 *
 * @example
 * class MathHandler extends WebSocketHandler {
 *   add = rpc((conn, a: number, b: number) => a + b);
 *   mul = rpc({ alias: "multiply", params: [Type.Number(), Type.Number()] }, (conn, a, b) => a * b);
 *   count = rpc(async function* (conn, n: number) { for (let i = 1; i <= n; i++) yield i; });
 * }
 */
export function rpc<A extends unknown[], R, S extends object = SessionState>(
  fn: (conn: ClientConnection<S>, ...args: A) => R,
): RpcField<(conn: ClientConnection<S>, ...args: A) => R>;
export function rpc<const O extends RpcMethodOptions & { params: readonly TSchema[] }, R extends ResultFor<O>, S extends object = SessionState>(
  options: O,
  fn: (conn: ClientConnection<S>, ...args: StaticParams<O["params"]>) => R,
): RpcField<(conn: ClientConnection<S>, ...args: StaticParams<O["params"]>) => R, AliasOf<O>>;
export function rpc<
  const O extends Omit<RpcMethodOptions, "params"> & { params?: Record<string, TSchema> },
  A extends unknown[],
  R extends ResultFor<O>,
  S extends object = SessionState,
>(
  options: O,
  fn: (conn: ClientConnection<S>, ...args: A) => R,
): RpcField<(conn: ClientConnection<S>, ...args: A) => R, AliasOf<O>>;
export function rpc(optionsOrFn: RpcMethodOptions | Function, maybeFn?: Function): unknown {
  const [options, fn] = typeof optionsOrFn === "function" ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  if (typeof fn !== "function") throw new TypeError("rpc(options, fn): fn must be a function.");
  markRpcMethod(fn, options);
  const info: RpcInfo = { alias: options.alias };
  Object.defineProperty(fn, RPC_INFO, { value: info, configurable: true });
  return fn;
}
