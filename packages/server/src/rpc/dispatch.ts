import { checkPredicate, type RateLimiter } from "@webshocket/guards";
import { CloseCode, RPCErrorCode, rpcErrorMessage, type RPCRequest } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import { callArguments, callMethod } from "./callArguments.js";
import type { RpcEntry } from "./registry.js";
import { logClientFault } from "./clientFaults.js";
import { errorReply, respond, respondError } from "./respond.js";
import { cancelStream, runStream, type StreamContext } from "./runStream.js";
import { CREDIT_METHOD, grantCredit, takeEarlyCredit } from "./streamCredit.js";
import { clientSubscription, SUBSCRIBE_METHOD, UNSUBSCRIBE_METHOD, type SubscribeContext } from "../channels/clientSubscriptions.js";
import { HISTORY_METHOD, historyRequest, type HistoryContext } from "../history/historyControl.js";

/** The RPC a client sends to stop one of its streams: `$cancel(call_id)`. */
export const CANCEL_METHOD = "$cancel";

/** What dispatch needs from the server. */
export interface DispatchContext extends StreamContext, SubscribeContext, HistoryContext {
  /** `this` for RPC methods. */
  readonly target: object;
  readonly methods: ReadonlyMap<string, RpcEntry>;
  readonly limiter: RateLimiter;
  /** Calls one connection may have running at once. */
  readonly rpcTaskLimit: number;
  /** Counts calls server-wide, so close() can wait for them. */
  callStarted(): void;
  /** A call has ended (`conn`: whose call, when it may have changed that connection's state). */
  callEnded(conn?: ClientConnection): void;
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Answers one RPC request: lookup → `requires` → rate limit → arguments → call →
 * response(s). Never throws; every failure becomes an error response.
 */
export function dispatch(ctx: DispatchContext, conn: ClientConnection, req: RPCRequest): void {
  if (req.method.charCodeAt(0) === 36 /* $ */) return control(ctx, conn, req);
  const window = takeEarlyCredit(conn, req.call_id);
  const entry = lookup(ctx.methods, req.method);
  if (entry === undefined) {
    respondError(conn, req.call_id, RPCErrorCode.METHOD_NOT_FOUND, rpcErrorMessage(RPCErrorCode.METHOD_NOT_FOUND, req.method));
    return;
  }
  if (conn.inflight >= ctx.rpcTaskLimit) {
    respondError(conn, req.call_id, RPCErrorCode.RATE_LIMIT_EXCEEDED, `Too many concurrent RPC calls (limit ${ctx.rpcTaskLimit}).`);
    return;
  }
  if (entry.requires !== undefined && !checkPredicate(entry.requires, conn as never)) {
    respondError(conn, req.call_id, RPCErrorCode.ACCESS_DENIED, rpcErrorMessage(RPCErrorCode.ACCESS_DENIED, entry.name));
    return;
  }
  if (entry.rateLimit === undefined) return invoke(ctx, conn, entry, req, window);
  let owner: string;
  try {
    owner = entry.rateLimit.key?.(conn) ?? conn.uid; // the window's owner: a user id spans connections (and nodes)
  } catch (err) {
    ctx.reportError(err, conn);
    return respondError(conn, req.call_id, RPCErrorCode.INTERNAL_SERVER_ERROR, rpcErrorMessage(RPCErrorCode.INTERNAL_SERVER_ERROR, entry.name));
  }
  const allowed = ctx.limiter.check(owner, entry.name, entry.rateLimit);
  if (allowed === true) return invoke(ctx, conn, entry, req, window);
  if (allowed === false) return rateLimited(conn, entry, req);
  allowed.then(
    (ok: boolean) => (ok ? invoke(ctx, conn, entry, req, window) : rateLimited(conn, entry, req)),
    (err: unknown) => {
      ctx.reportError(err, conn);
      respondError(conn, req.call_id, RPCErrorCode.INTERNAL_SERVER_ERROR, rpcErrorMessage(RPCErrorCode.INTERNAL_SERVER_ERROR, entry.name));
    },
  );
}

/** A protocol request (`$cancel`, `$credit`, `$subscribe`, `$unsubscribe`, `$history`); bad arguments are INVALID_PARAMS, like any method's. */
function control(ctx: DispatchContext, conn: ClientConnection, req: RPCRequest): void {
  const [callId, n] = req.args;
  let problem: string | undefined;
  if (req.method === CANCEL_METHOD) {
    if (typeof callId === "string") return respond(conn, req.call_id, cancelStream(ctx, conn, callId));
    problem = "expects [call_id: string]";
  } else if (req.method === CREDIT_METHOD) {
    if (typeof callId === "string" && Number.isSafeInteger(n) && (n as number) > 0) {
      return respond(conn, req.call_id, grantCredit(conn, callId, n as number));
    }
    problem = "expects [call_id: string, chunks: integer >= 1]";
  } else if (req.method === SUBSCRIBE_METHOD || req.method === UNSUBSCRIBE_METHOD) {
    if ((problem = clientSubscription(ctx, conn, req)) === undefined) return;
  } else if (req.method === HISTORY_METHOD) {
    if ((problem = historyRequest(ctx, conn, req)) === undefined) return;
  }
  if (problem === undefined) {
    respondError(conn, req.call_id, RPCErrorCode.METHOD_NOT_FOUND, rpcErrorMessage(RPCErrorCode.METHOD_NOT_FOUND, req.method));
    return;
  }
  const message = `${rpcErrorMessage(RPCErrorCode.INVALID_PARAMS, req.method)} ${req.method}() ${problem}`;
  logClientFault(ctx.logger, conn, req.method, message);
  respondError(conn, req.call_id, RPCErrorCode.INVALID_PARAMS, message);
}

/** The last lookup: clients call the same method again and again, and its name comes interned from the decoder. */
var lastMethods: ReadonlyMap<string, RpcEntry> | undefined;
var lastName = "";
var lastEntry: RpcEntry | undefined;

function lookup(methods: ReadonlyMap<string, RpcEntry>, name: string): RpcEntry | undefined {
  if (name === lastName && methods === lastMethods) return lastEntry;
  const entry = methods.get(name);
  lastMethods = methods;
  lastName = name;
  lastEntry = entry;
  return entry;
}

function rateLimited(conn: ClientConnection, entry: RpcEntry, req: RPCRequest): void {
  respondError(conn, req.call_id, RPCErrorCode.RATE_LIMIT_EXCEEDED, rpcErrorMessage(RPCErrorCode.RATE_LIMIT_EXCEEDED, entry.name), entry.streaming);
  if (entry.rateLimit?.disconnectOnLimitExceeded) conn.close(CloseCode.TRY_AGAIN_LATER, "Rate limit exceeded");
}

function invoke(ctx: DispatchContext, conn: ClientConnection, entry: RpcEntry, req: RPCRequest, window?: number): void {
  const args = callArguments(ctx.logger, conn, entry, req.args, req.kwargs);
  if (typeof args === "string") {
    respondError(conn, req.call_id, RPCErrorCode.INVALID_PARAMS, args, entry.streaming);
    return;
  }
  let result: unknown;
  try {
    result = callMethod(entry, ctx.target, conn, args);
  } catch (err) {
    return failed(ctx, conn, entry, req.call_id, err);
  }
  if (!entry.streaming && !isAsyncIterator(result) && !isThenable(result)) {
    respond(conn, req.call_id, result, entry.name); // a synchronous result: nothing to track
    return;
  }
  // Still running after this callback: counted per connection (rpcTaskLimit) and server-wide (close()).
  conn.inflight++;
  ctx.callStarted();
  const done = (): void => {
    conn.inflight--;
    ctx.callEnded(conn);
  };
  if (entry.streaming || isAsyncIterator(result)) {
    void runStream(ctx, conn, entry.name, req.call_id, result as AsyncIterator<unknown>, window).finally(done);
  } else {
    (result as PromiseLike<unknown>).then(
      (value) => {
        respond(conn, req.call_id, value, entry.name);
        done();
      },
      (err: unknown) => {
        failed(ctx, conn, entry, req.call_id, err);
        done();
      },
    );
  }
}

function failed(ctx: DispatchContext, conn: ClientConnection, entry: RpcEntry, callId: string, err: unknown): void {
  const reply = errorReply(err, entry.name);
  if (reply.internal) ctx.reportError(err, conn);
  else if (reply.clientFault) logClientFault(ctx.logger, conn, entry.name, reply.message);
  respondError(conn, callId, reply.code, reply.message, entry.streaming);
}
