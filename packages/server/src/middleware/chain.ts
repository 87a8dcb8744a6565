import type { CallContext, ConnectionContext, Middleware, MiddlewareLike } from "./middleware.js";
import type { Hook } from "./runChain.js";

/** The installed middleware, split by hook; undefined lists when nobody has that hook (the usual paths run). */
export interface Chain {
  readonly call: readonly Hook<CallContext<object>>[] | undefined;
  readonly open: readonly Hook<ConnectionContext<object>>[] | undefined;
  readonly close: readonly Hook<ConnectionContext<object>>[] | undefined;
  readonly all: readonly Middleware<object>[];
}

/** A bare function is `{ call }`. */
export function toMiddleware<T extends object>(m: MiddlewareLike<T>): Middleware<T> {
  if (typeof m === "function") return { call: m };
  if (typeof m !== "object" || m === null) throw new TypeError("Middleware must be a function (ctx, next) or an object with call/open/close/setup.");
  return m;
}

function hooks<C>(list: readonly Middleware<object>[], pick: (m: Middleware<object>) => Hook<C> | undefined): Hook<C>[] | undefined {
  const out: Hook<C>[] = [];
  for (const m of list) {
    const h = pick(m);
    if (h !== undefined) out.push(h);
  }
  return out.length === 0 ? undefined : out;
}

/** Splits the middleware by hook, binding each to its object. */
export function buildChain(list: readonly Middleware<object>[]): Chain {
  return {
    call: hooks(list, (m) => m.call?.bind(m)),
    open: hooks(list, (m) => m.open?.bind(m)),
    close: hooks(list, (m) => m.close?.bind(m)),
    all: list,
  };
}
