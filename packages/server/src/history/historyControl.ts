import { checkPredicate } from "@webshocket/guards";
import { RPCErrorCode, type RPCRequest } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import { findDeclaration } from "../channels/channelDeclaration.js";
import { deniedMessage, type SubscribeContext } from "../channels/clientSubscriptions.js";
import { GlobPattern } from "../channels/globPattern.js";
import { logClientFault } from "../rpc/clientFaults.js";
import { errorReply, respond, respondError } from "../rpc/respond.js";
import type { HistoryPosition, HistoryResult } from "./channelHistory.js";
import type { HistoryStore } from "./historyStore.js";

/** The control call a client sends to read a channel's history: `$history(channel, since_epoch, since_offset, limit?)`. */
export const HISTORY_METHOD = "$history";

/** What `$history` needs from the server. */
export interface HistoryContext extends SubscribeContext {
  /** The server's history (the `history` option's or the broker's); undefined when off. */
  readonly history: HistoryStore | undefined;
}

const EXPECTS = "expects [channel: string, since_epoch: string | null, since_offset: integer >= 0 | null, limit?: integer >= 0]";

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Answers `$history`: the channel's publications after the position, as `handler.history()` reads them.
 * Allowed for a channel the connection is subscribed to, or one it could subscribe to (`@channel`
 * declaration or `canSubscribe`). Returns a description of bad arguments (answered INVALID_PARAMS by the
 * caller), or undefined when the request is being answered.
 */
export function historyRequest(ctx: HistoryContext, conn: ClientConnection, req: RPCRequest): string | undefined {
  const [channel, epoch, offset, limit] = req.args;
  if (req.args.length < 3 || req.args.length > 4 || typeof channel !== "string" || channel === "") return EXPECTS;
  if ((epoch === null) !== (offset === null)) return `${EXPECTS}: since_epoch and since_offset are both null or both set`;
  if (epoch !== null && (typeof epoch !== "string" || !(Number.isSafeInteger(offset) && (offset as number) >= 0))) return EXPECTS;
  if (limit !== undefined && limit !== null && !(Number.isSafeInteger(limit) && (limit as number) >= 0)) return EXPECTS;
  if (channel.length > ctx.channelLimits.maxChannelNameLength) return `channel longer than ${ctx.channelLimits.maxChannelNameLength} (maxChannelNameLength)`;
  const glob = GlobPattern.compile(channel);
  if (glob.isPattern) return `${EXPECTS}: history is per exact channel, not a pattern`;
  const history = ctx.history;
  if (history === undefined) {
    respondError(conn, req.call_id, RPCErrorCode.METHOD_NOT_FOUND, "Channel history is off on this server.");
    return undefined;
  }
  const since = epoch === null ? undefined : { epoch: epoch as string, offset: offset as number };
  const max = limit === undefined || limit === null ? undefined : (limit as number);
  if (conn.subscribedTo(channel)) {
    track(ctx, conn, answer(ctx, conn, req.call_id, history, channel, since, max, true));
    return undefined;
  }
  const authority = ctx.subscriptions;
  const declaration = findDeclaration(authority.declarations, channel, glob);
  let allowed: boolean | PromiseLike<boolean>;
  try {
    allowed = declaration === undefined ? authority.canSubscribe(conn, channel) : declaration.requires === undefined || checkPredicate(declaration.requires, conn as never);
  } catch (err) {
    fail(ctx, conn, req.call_id, err);
    return undefined;
  }
  if (!isThenable(allowed)) {
    track(ctx, conn, answer(ctx, conn, req.call_id, history, channel, since, max, allowed));
    return undefined;
  }
  track(
    ctx,
    conn,
    Promise.resolve(allowed).then(
      (ok) => answer(ctx, conn, req.call_id, history, channel, since, max, ok),
      (err: unknown) => fail(ctx, conn, req.call_id, err),
    ),
  );
  return undefined;
}

/** Counts an answer still on its way as a running call (server close waits for it). */
function track(ctx: HistoryContext, conn: ClientConnection, pending: void | Promise<void>): void {
  if (pending === undefined) return;
  conn.inflight++;
  ctx.callStarted();
  void pending.finally(() => {
    conn.inflight--;
    ctx.callEnded();
  });
}

/** Answers at once from a synchronous store, or returns the promise of an answer from an asynchronous one. */
function answer(ctx: HistoryContext, conn: ClientConnection, callId: string, history: HistoryStore, channel: string, since: HistoryPosition | undefined, limit: number | undefined, ok: boolean): void | Promise<void> {
  if (ok !== true) return respondError(conn, callId, RPCErrorCode.ACCESS_DENIED, deniedMessage(channel));
  if (!history.keeps(channel)) return respondError(conn, callId, RPCErrorCode.APPLICATION_ERROR, `Channel '${channel}' keeps no history (history.channels).`);
  let result: HistoryResult | Promise<HistoryResult>;
  try {
    result = history.read(channel, { since, limit });
  } catch (err) {
    return fail(ctx, conn, callId, err);
  }
  if (!isThenable(result)) return respond(conn, callId, result, HISTORY_METHOD);
  return Promise.resolve(result).then(
    (r) => respond(conn, callId, r, HISTORY_METHOD),
    (err: unknown) => fail(ctx, conn, callId, err),
  );
}

function fail(ctx: HistoryContext, conn: ClientConnection, callId: string, err: unknown): void {
  const reply = errorReply(err, HISTORY_METHOD);
  if (reply.internal) ctx.reportError(err, conn);
  else if (reply.clientFault) logClientFault(ctx.logger, conn, HISTORY_METHOD, reply.message);
  respondError(conn, callId, reply.code, reply.message);
}
