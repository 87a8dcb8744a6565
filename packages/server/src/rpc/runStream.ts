import type { ClientConnection } from "../connection.js";
import type { Logger } from "../logger.js";
import { logClientFault } from "./clientFaults.js";
import { errorReply, respond, respondError } from "./respond.js";
import { awaitCredit, closeCredit, forgetCredits, openCredit } from "./streamCredit.js";

/** What a streaming call needs from the server. */
export interface StreamContext {
  /** Pull no more values while the socket has more than this many bytes buffered. */
  readonly highWaterMark: number;
  reportError(err: unknown, conn: ClientConnection): void;
  /** Where client mistakes are logged (one rate-limited line each). */
  readonly logger: Logger;
}

type AnyIterator = AsyncIterator<unknown> | Iterator<unknown>;

/** Values a stream sends before it lets the event loop turn. */
const YIELD_EVERY = 64;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a streaming RPC: every yielded value becomes a response with
 * `is_stream: true`; the end is `is_end: true`; an error ends the stream with its
 * code. The iterator is not pulled while the socket is over its high-water mark,
 * and it is closed (its `finally` runs) when the client cancels or disconnects.
 * With `window` (the credit the client granted with `$credit` before the request) it is
 * also not pulled while the client has granted no credit: each chunk spends one.
 */
export async function runStream(
  ctx: StreamContext,
  conn: ClientConnection,
  method: string,
  callId: string,
  iterator: AnyIterator,
  window?: number,
): Promise<void> {
  conn.streams.set(callId, iterator);
  const credit = window === undefined ? undefined : openCredit(conn, callId, window);
  const live = (): boolean => conn.streams.get(callId) === iterator;
  let finished = false;
  let sent = 0;
  try {
    for (;;) {
      if (conn.bufferedAmount + conn.outboxBytes > ctx.highWaterMark) {
        conn.flush();
        await conn.waitForDrain(ctx.highWaterMark);
      }
      if (credit !== undefined && credit.left <= 0) {
        conn.flush();
        await awaitCredit(credit);
        if (!live()) return;
        continue; // the socket may have filled meanwhile: check again
      }
      // A generator that never waits would otherwise hold the event loop: let it turn (and flush) now and then.
      if (++sent % YIELD_EVERY === 0) await nextTurn();
      if (!live()) return;
      const step = await iterator.next();
      if (!live()) return;
      if (step.done) {
        finished = true;
        respond(conn, callId, null, method, true, true);
        return;
      }
      respond(conn, callId, step.value, method, true, false);
      if (credit !== undefined) credit.left--;
    }
  } catch (err) {
    finished = true;
    const reply = errorReply(err, method);
    if (reply.internal) ctx.reportError(err, conn);
    else if (reply.clientFault) logClientFault(ctx.logger, conn, method, reply.message);
    if (live()) respondError(conn, callId, reply.code, reply.message, true);
  } finally {
    if (live()) conn.streams.delete(callId);
    if (credit !== undefined) closeCredit(conn, callId, credit);
    if (!finished) await closeIterator(iterator, ctx, conn);
  }
}

/** Closes an iterator (runs the generator's `finally`), reporting errors it throws. */
export async function closeIterator(iterator: AnyIterator, ctx: Pick<StreamContext, "reportError">, conn: ClientConnection): Promise<void> {
  try {
    await iterator.return?.();
  } catch (err) {
    ctx.reportError(err, conn);
  }
}

/** Stops one stream (client cancel); true when there was one. */
export function cancelStream(ctx: Pick<StreamContext, "reportError">, conn: ClientConnection, callId: string): boolean {
  const iterator = conn.streams.get(callId);
  if (iterator === undefined) return false;
  conn.streams.delete(callId);
  closeCredit(conn, callId); // a stream waiting for credit sees it is no longer live
  void closeIterator(iterator, ctx, conn);
  return true;
}

/** Stops every stream of a connection (on disconnect). */
export function cancelAllStreams(ctx: Pick<StreamContext, "reportError">, conn: ClientConnection): void {
  for (const callId of conn.streamIds()) cancelStream(ctx, conn, callId);
  forgetCredits(conn);
}
