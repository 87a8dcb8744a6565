import type { Next } from "./middleware.js";

/** One interceptor of a chain. */
export type Hook<C> = (ctx: C, next: Next) => void | Promise<void>;

/**
 * Runs `hooks` around `inner`, the first outermost. Stays synchronous while every hook and `inner` are (returns
 * undefined), so a call answered at once by a synchronous chain is still answered inside the engine's callback.
 * What a hook throws or rejects with goes to `fail`, and the hooks outside it go on as if their `next()` had
 * settled normally (they see the failure in the context).
 */
export function runChain<C>(hooks: readonly Hook<C>[], ctx: C, inner: (ctx: C) => void | Promise<void>, fail: (ctx: C, err: unknown) => void): void | Promise<void> {
  const step = (i: number): void | Promise<void> => {
    if (i === hooks.length) return inner(ctx);
    let r: void | Promise<void>;
    try {
      r = (hooks[i] as Hook<C>)(ctx, () => step(i + 1));
    } catch (err) {
      fail(ctx, err);
      return;
    }
    if (r !== undefined && typeof (r as Promise<void>).then === "function") return (r as Promise<void>).then(undefined, (err: unknown) => fail(ctx, err));
    return undefined;
  };
  return step(0);
}
