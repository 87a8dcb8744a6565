import { checkPredicate } from "@webshocket/guards";
import { CloseCode, RPCError, RPCErrorCode, rpcErrorMessage, type RPCRequest } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import { callArguments, callMethod } from "../rpc/callArguments.js";
import { logClientFault } from "../rpc/clientFaults.js";
import { dispatch, type DispatchContext } from "../rpc/dispatch.js";
import type { RpcEntry } from "../rpc/registry.js";
import { respond, respondError } from "../rpc/respond.js";
import { runStream } from "../rpc/runStream.js";
import { takeEarlyCredit } from "../rpc/streamCredit.js";
import type { CallContext } from "./middleware.js";
import { runChain, type Hook } from "./runChain.js";
import { observedStream } from "./observedStream.js";
import { toRpcError } from "./toRpcError.js";

/** A call's context plus what the interceptor keeps for itself. */
interface Call extends CallContext<object> {
  /** The stream has started: runStream answers, not the interceptor. */
  streamStarted: boolean;
  /** Close the socket after the answer (a rate limit with disconnectOnLimitExceeded). */
  closeAfter: boolean;
  readonly rt: DispatchContext;
  readonly entry: RpcEntry | undefined;
  readonly window: number | undefined;
}

/** The innermost step: the method (or METHOD_NOT_FOUND); sets `duration` when it has settled. */
function inner(c: Call): void | Promise<void> {
  const r = c.entry === undefined ? refuse(c, RPCErrorCode.METHOD_NOT_FOUND, rpcErrorMessage(RPCErrorCode.METHOD_NOT_FOUND, c.method)) : checked(c.rt, c, c.entry, c.window);
  if (r === undefined) c.duration = performance.now() - c.startTime;
  else return r.then(() => void (c.duration = performance.now() - c.startTime));
  return undefined;
}

/** A hook threw or rejected: that is the call's error now. */
function fail(c: Call, err: unknown): void {
  c.error = toRpcError(c.rt, c.conn as ClientConnection, c.method, err);
  if (c.duration === 0) c.duration = performance.now() - c.startTime;
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function refuse(ctx: Call, code: RPCErrorCode, message: string): void {
  ctx.error = new RPCError(message, { rpcCode: code });
}

/**
 * Dispatch with middleware: the same steps as `dispatch` (lookup, rpcTaskLimit, `requires`, rate limit, binding,
 * params schemas, the call, the answer) with the `call` hooks around all but the lookup. `$cancel`/`$credit`
 * take the usual path. Used only when some middleware has a `call` hook; otherwise `dispatch` runs untouched.
 */
export function interceptCall(rt: DispatchContext, hooks: readonly Hook<CallContext<object>>[], conn: ClientConnection, req: RPCRequest): void {
  if (req.method.charCodeAt(0) === 36 /* $ */) return dispatch(rt, conn, req);
  const window = takeEarlyCredit(conn, req.call_id);
  const entry = rt.methods.get(req.method);
  const traceparent = (req as { traceparent?: unknown }).traceparent;
  const ctx: Call = {
    conn,
    method: req.method,
    known: entry !== undefined,
    streaming: entry?.streaming ?? false,
    callId: req.call_id,
    args: req.args,
    kwargs: req.kwargs,
    traceparent: typeof traceparent === "string" ? traceparent : undefined,
    result: undefined,
    error: undefined,
    startTime: performance.now(),
    duration: 0,
    chunks: 0,
    cancelled: false,
    streamStarted: false,
    closeAfter: false,
    rt,
    entry,
    window,
  };
  conn.inflight++; // counted at once, for rpcTaskLimit; server-wide (close() waits) only once it runs on
  const r = runChain(hooks as readonly Hook<Call>[], ctx, inner, fail);
  if (r === undefined) return answer(ctx);
  rt.callStarted();
  void r.then(() => {
    rt.callEnded(ctx.conn as ClientConnection);
    answer(ctx);
  });
}

function answer(ctx: Call): void {
  const conn = ctx.conn as ClientConnection;
  conn.inflight--;
  if (ctx.streamStarted) return;
  if (ctx.error !== undefined) respondError(conn, ctx.callId, ctx.error.rpcCode, ctx.error.message, ctx.streaming);
  else respond(conn, ctx.callId, ctx.result, ctx.method);
  if (ctx.closeAfter) conn.close(CloseCode.TRY_AGAIN_LATER, "Rate limit exceeded");
}

/** rpcTaskLimit, `requires`, rate limit; then the call. */
function checked(rt: DispatchContext, ctx: Call, entry: RpcEntry, window: number | undefined): void | Promise<void> {
  const conn = ctx.conn as ClientConnection;
  if (conn.inflight > rt.rpcTaskLimit) return refuse(ctx, RPCErrorCode.RATE_LIMIT_EXCEEDED, `Too many concurrent RPC calls (limit ${rt.rpcTaskLimit}).`);
  if (entry.requires !== undefined && !checkPredicate(entry.requires, conn as never)) {
    return refuse(ctx, RPCErrorCode.ACCESS_DENIED, rpcErrorMessage(RPCErrorCode.ACCESS_DENIED, entry.name));
  }
  const limit = entry.rateLimit;
  if (limit === undefined) return invoke(rt, ctx, entry, window);
  const limited = (): void => {
    refuse(ctx, RPCErrorCode.RATE_LIMIT_EXCEEDED, rpcErrorMessage(RPCErrorCode.RATE_LIMIT_EXCEEDED, entry.name));
    ctx.closeAfter = limit.disconnectOnLimitExceeded === true;
  };
  const internal = (err: unknown): void => {
    rt.reportError(err, conn);
    refuse(ctx, RPCErrorCode.INTERNAL_SERVER_ERROR, rpcErrorMessage(RPCErrorCode.INTERNAL_SERVER_ERROR, entry.name));
  };
  let allowed: boolean | Promise<boolean>;
  try {
    allowed = rt.limiter.check(limit.key?.(conn) ?? conn.uid, entry.name, limit);
  } catch (err) {
    return internal(err);
  }
  if (allowed === true) return invoke(rt, ctx, entry, window);
  if (allowed === false) return limited();
  return allowed.then((ok) => (ok ? invoke(rt, ctx, entry, window) : limited()), internal);
}

/** Binds, validates and calls; a unary result lands in `ctx.result`, a stream runs to its end. */
function invoke(rt: DispatchContext, ctx: Call, entry: RpcEntry, window: number | undefined): void | Promise<void> {
  const conn = ctx.conn as ClientConnection;
  const args = callArguments(rt.logger, conn, entry, ctx.args, ctx.kwargs);
  if (typeof args === "string") return refuse(ctx, RPCErrorCode.INVALID_PARAMS, args);
  let result: unknown;
  try {
    result = callMethod(entry, rt.target, conn, args);
  } catch (err) {
    ctx.error = toRpcError(rt, conn, entry.name, err);
    return;
  }
  if (entry.streaming || isAsyncIterator(result)) {
    ctx.streamStarted = true;
    return runStream(rt, conn, entry.name, ctx.callId, observedStream(rt, ctx, result as AsyncIterator<unknown>), window);
  }
  if (!isThenable(result)) {
    ctx.result = result;
    return;
  }
  return Promise.resolve(result).then(
    (value) => void (ctx.result = value),
    (err: unknown) => void (ctx.error = toRpcError(rt, conn, entry.name, err)),
  );
}
