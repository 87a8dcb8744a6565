import { RPCError, RPCTimeoutError } from "@webshocket/protocol";
import { after, toMs, type Duration } from "./options.js";
import type { CallHost } from "./pending.js";
import { RpcStream } from "./stream.js";
import type { TypedPushes } from "./typedPushes.js";

/**
 * Members of the server's `WebSocketHandler` base class: never RPC methods, so left out of
 * typed APIs. A key list, so the client needs nothing from the server package (a type test
 * against the real server class keeps it in step).
 */
export type HandlerBaseKeys =
  | "onConnect"
  | "onReceive"
  | "onDisconnect"
  | "onSuspend"
  | "onResume"
  | "onError"
  | "onSlowConsumer"
  | "onServerShutdown"
  | "publish"
  | "broadcast"
  | "subscribe"
  | "unsubscribe"
  | "registerRpcMethod"
  | "canSubscribe"
  | "emit"
  | "history"
  | "clients"
  | "channels"
  | "patterns"
  | "constructor";

/**
 * The client side of one handler method `(conn, ...args) => R`: the connection parameter is
 * dropped; an async generator becomes `AsyncIterable` of its yielded values, anything else a
 * Promise of the awaited result.
 */
export type RemoteMethod<F> = F extends (conn: any, ...args: infer A) => infer R
  ? [R] extends [AsyncIterable<infer Y>]
    ? (...args: A) => AsyncIterable<Y>
    : (...args: A) => Promise<Awaited<R>>
  : never;

/** Names of the callable members of T other than the handler base class's. */
export type RemoteMethodNames<T> = {
  [K in keyof T]-?: K extends HandlerBaseKeys ? never : K extends string ? (T[K] extends (...args: any) => any ? K : never) : never;
}[keyof T];

/** How the server's `rpc()` marks a handler field (the server's `RpcField`), matched structurally. */
interface RpcMark {
  readonly "~rpc": { readonly alias: string | undefined };
}

/** Names of T's fields declared with the server's `rpc()`. */
export type RpcFieldNames<T> = { [K in keyof T]-?: T[K] extends RpcMark ? K : never }[keyof T];

/** The name a client calls an `rpc()` field by: its alias, else the field's name. */
type WireName<T, K extends keyof T> = T[K] extends { readonly "~rpc": { readonly alias: infer A } } ? (A extends string ? A : K) : K;

/**
 * The typed API of a server handler class T. When T declares methods with `rpc()` fields, exactly
 * those, under their wire names (aliases included): `api.add(10, 20): Promise<number>`,
 * `api.count_to(5): AsyncIterable<number>`. A handler with only `@rpcMethod()` methods (TypeScript
 * cannot see decorators) gets every public method, aliases mapped with the `aliases` option.
 */
export type RemoteApi<T> = [RpcFieldNames<T>] extends [never]
  ? { readonly [K in RemoteMethodNames<T>]: RemoteMethod<T[K]> }
  : { readonly [K in RpcFieldNames<T> as WireName<T, K>]: RemoteMethod<T[K]> };

/** Options of `client.typed<T>(options)`. */
export interface TypedOptions<T> {
  /** Timeout of awaited (non-streaming) calls; `null` waits forever. Default: the client's `rpcTimeout` (30 s). */
  timeout?: Duration | null;
  /**
   * Wire names of `@rpcMethod` methods exposed under an alias (`@rpcMethod({ alias: "multiply" }) mul`):
   * `{ mul: "multiply" }`. Not needed (nor accepted) for handlers with `rpc()` fields, whose aliases the
   * types carry. Default: none (the property name is the wire name).
   */
  aliases?: [RpcFieldNames<T>] extends [never] ? { readonly [K in RemoteMethodNames<T>]?: string } : never;
}

/**
 * A typed call in flight. The request is sent at once; the call is then consumed either by
 * awaiting it (result value, or RPCError) or by iterating it (yielded values).
 */
class TypedCall implements PromiseLike<unknown>, AsyncIterable<unknown> {
  readonly #stream: RpcStream;
  readonly #method: string;
  readonly #timeoutMs: number;
  #iterated = false;
  #result: Promise<unknown> | undefined;

  constructor(host: CallHost, method: string, args: unknown[], timeoutMs: number) {
    this.#method = method;
    this.#timeoutMs = timeoutMs;
    this.#stream = new RpcStream(host, method, args, { raiseOnRateLimit: true });
    this.#stream.start();
  }

  get [Symbol.toStringTag](): string {
    return "TypedCall";
  }

  then<A = unknown, B = never>(
    onfulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#value().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return this.#value().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<unknown> {
    return this.#value().finally(onfinally);
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> & AsyncIterable<unknown> {
    if (this.#iterated || this.#result) throw new TypeError(`'${this.#method}' was already consumed`);
    this.#iterated = true;
    const stream = this.#stream;
    return {
      async next() {
        const r = await stream.next();
        return r.done ? r : { value: r.value.data, done: false };
      },
      async return() {
        return stream.return();
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  #value(): Promise<unknown> {
    this.#result ??= this.#iterated
      ? Promise.reject(new TypeError(`'${this.#method}' is being iterated`))
      : this.#first();
    return this.#result;
  }

  async #first(): Promise<unknown> {
    const ms = this.#timeoutMs;
    const timer = after(ms, () => this.#stream.cancel(new RPCTimeoutError(`RPC '${this.#method}' got no response within ${ms} ms`)));
    try {
      const r = await this.#stream.next();
      if (r.done) return undefined;
      if (r.value.rpc.is_stream) {
        this.#stream.cancel();
        throw new RPCError(`RPC '${this.#method}' streams its results: iterate it with for await`);
      }
      return r.value.data;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Names a Proxy never treats as RPC methods (so the API object is not thenable, not JSON-able). */
const RESERVED = new Set(["then", "toJSON", "constructor"]);

/** What `client.typed<T>()` returns: the RPC methods, and the push listeners (`$on`, `$onBroadcast`). */
export type TypedApi<T> = RemoteApi<T> & TypedPushes<T>;

/** Builds the Proxy behind `client.typed<T>()`. */
export function createTypedApi<T>(host: CallHost, defaultTimeout: Duration | null, options: TypedOptions<T>, pushes: TypedPushes<unknown>): TypedApi<T> {
  const timeoutMs = toMs(options.timeout, defaultTimeout);
  const aliases = (options.aliases ?? {}) as Readonly<Record<string, string | undefined>>;
  const methods = new Map<string, (...args: unknown[]) => TypedCall>();
  const target = Object.create(null) as object;
  return new Proxy(target, {
    get(_target, prop) {
      if (typeof prop !== "string" || RESERVED.has(prop)) return undefined;
      if (prop === "$on" || prop === "$onBroadcast" || prop === "$subscribe") return pushes[prop]; // `$` names are never RPC methods
      let fn = methods.get(prop);
      if (!fn) {
        const wire = aliases[prop] ?? prop;
        fn = (...args: unknown[]) => new TypedCall(host, wire, args, timeoutMs);
        methods.set(prop, fn);
      }
      return fn;
    },
    has(_target, prop) {
      return typeof prop === "string" && !RESERVED.has(prop);
    },
    set() {
      return false;
    },
  }) as TypedApi<T>;
}
