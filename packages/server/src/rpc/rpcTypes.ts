import type { Static, TOptional, TSchema } from "@sinclair/typebox";

/** Positional parameter schemas (`[Type.Number(), Type.Optional(Type.String())]`) or, by name, an object of them. */
export type ParamsSchema = Record<string, TSchema> | readonly TSchema[];

/**
 * The argument tuple a positional `params` schema describes: `[Type.Number(), Type.Optional(Type.String())]`
 * → `[number, string?]`.
 */
export type StaticParams<P> = P extends readonly [infer H extends TSchema, ...infer T]
  ? H extends TOptional<TSchema>
    ? [Static<H>?, ...StaticParams<T>]
    : [Static<H>, ...StaticParams<T>]
  : [];

/** What a method's result resolves to: the awaited value, or each value of a stream. */
export type ResultValue<R> = [R] extends [AsyncIterable<infer Y>] ? Y : [R] extends [Generator<infer Y>] ? Y : Awaited<R>;

/** The parameters after the connection parameter. */
type ArgsOf<F> = F extends (conn: never, ...args: infer A) => unknown ? A : never;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;


/**
 * `F` when its signature agrees with the options' schemas, else a message type (which makes the decorator's
 * result, and so the decoration, a compile error): a positional `params` schema must give exactly the method's
 * parameter list (`Type.Optional` for `b?: T` or `b = default`); a `returns` schema must accept what the method
 * returns (resolves to, or yields). The object form of `params` is checked at run time only.
 */
export type CheckedMethod<F, O> = O extends { params: infer P extends readonly TSchema[] }
  ? Same<ArgsOf<F>, StaticParams<P>> extends true
    ? CheckReturns<F, O>
    : { readonly "@rpcMethod error": "the method's parameters (after the connection) do not match its params schema" }
  : CheckReturns<F, O>;

type CheckReturns<F, O> = O extends { returns: infer R extends TSchema }
  ? F extends (...args: never) => infer Out
    ? [ResultValue<Out>] extends [Static<R>]
      ? F
      : { readonly "@rpcMethod error": "the method's result does not match its returns schema" }
    : F
  : F;
