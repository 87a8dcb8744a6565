import type { ClientConnection } from "../connection.js";
import type { DispatchContext } from "../rpc/dispatch.js";
import { toRpcError } from "./toRpcError.js";
import type { CallContext } from "./middleware.js";

type AnyIterator = AsyncIterator<unknown> | Iterator<unknown>;

/**
 * The method's iterator as runStream pulls it, counting the values (`ctx.chunks`), keeping the error that ended
 * it (`ctx.error`; runStream answers and reports it) and noticing a cancel or disconnect (`ctx.cancelled`).
 */
export function observedStream(rt: DispatchContext, ctx: CallContext<object>, iterator: AnyIterator): AsyncIterator<unknown> & AsyncIterable<unknown> {
  let ended = false;
  const wrapped: AsyncIterator<unknown> & AsyncIterable<unknown> = {
    async next() {
      try {
        const step = await iterator.next();
        if (step.done) ended = true;
        else ctx.chunks++;
        return step;
      } catch (err) {
        ended = true;
        ctx.error = toRpcError(rt, ctx.conn as ClientConnection, ctx.method, err, false);
        throw err;
      }
    },
    async return(value?: unknown) {
      if (!ended) ctx.cancelled = true;
      ended = true;
      return (await iterator.return?.(value)) ?? { done: true, value };
    },
    [Symbol.asyncIterator]() {
      return wrapped;
    },
  };
  return wrapped;
}
