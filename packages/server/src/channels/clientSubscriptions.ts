import { checkPredicate } from "@webshocket/guards";
import { RPCErrorCode, type RPCRequest } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import { logClientFault } from "../rpc/clientFaults.js";
import { errorReply, respond, respondError } from "../rpc/respond.js";
import type { StreamContext } from "../rpc/runStream.js";
import { findDeclaration, type ChannelDeclaration } from "./channelDeclaration.js";
import type { ChannelLimits } from "./channelRegistry.js";
import { GlobPattern } from "./globPattern.js";

/** The control call a client sends to join a channel or pattern: `$subscribe(channel)`. */
export const SUBSCRIBE_METHOD = "$subscribe";
/** The control call a client sends to leave one: `$unsubscribe(channel)`. */
export const UNSUBSCRIBE_METHOD = "$unsubscribe";

/** What the handler offers for client subscriptions. */
export interface SubscriptionAuthority {
  /** The `@channel` declarations. */
  readonly declarations: readonly ChannelDeclaration[];
  /** `this` for declared methods. */
  readonly target: object;
  /** The handler's `canSubscribe` hook, for names no declaration covers. */
  canSubscribe(conn: ClientConnection, channel: string): boolean | Promise<boolean>;
}

/** What client subscriptions need from the server. */
export interface SubscribeContext extends StreamContext {
  readonly channelLimits: ChannelLimits;
  readonly subscriptions: SubscriptionAuthority;
  readonly maxSubscribedChannels: number;
  /** Calls (subscriptions being authorized included) one connection may have running at once. */
  readonly rpcTaskLimit: number;
  callStarted(): void;
  callEnded(): void;
}

/** The ACCESS_DENIED message of a refused subscription: it names the channel. */
export const deniedMessage = (channel: string): string => `Access denied for channel '${channel}'.`;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Answers `$subscribe` / `$unsubscribe`. Returns a description of bad arguments (answered
 * INVALID_PARAMS by the caller), or undefined when the request is being answered.
 */
export function clientSubscription(ctx: SubscribeContext, conn: ClientConnection, req: RPCRequest): string | undefined {
  const name = req.args[0];
  const { maxPatternLength, maxChannelNameLength } = ctx.channelLimits;
  if (req.args.length !== 1 || typeof name !== "string" || name === "") return "expects [channel: non-empty string]";
  if (name.length > Math.max(maxPatternLength, maxChannelNameLength)) return `channel longer than ${Math.max(maxPatternLength, maxChannelNameLength)}`;
  const glob = GlobPattern.compile(name);
  if (glob.isPattern && name.length > maxPatternLength) return `pattern longer than ${maxPatternLength} (maxPatternLength)`;
  if (!glob.isPattern && name.length > maxChannelNameLength) return `channel longer than ${maxChannelNameLength} (maxChannelNameLength)`;
  if (req.method !== SUBSCRIBE_METHOD) {
    const was = conn.subscribedTo(name);
    conn.unsubscribe(name);
    respond(conn, req.call_id, was);
    return undefined;
  }
  if (conn.inflight >= ctx.rpcTaskLimit) {
    respondError(conn, req.call_id, RPCErrorCode.RATE_LIMIT_EXCEEDED, `Too many concurrent RPC calls (limit ${ctx.rpcTaskLimit}).`);
    return undefined;
  }
  const authority = ctx.subscriptions;
  const declaration = findDeclaration(authority.declarations, name, glob);
  let allowed: boolean | PromiseLike<boolean>;
  try {
    allowed =
      declaration === undefined
        ? authority.canSubscribe(conn, name)
        : declaration.requires === undefined || checkPredicate(declaration.requires, conn as never);
  } catch (err) {
    fail(ctx, conn, req.call_id, err);
    return undefined;
  }
  if (!isThenable(allowed)) {
    const pending = join(ctx, conn, req.call_id, name, allowed, declaration);
    if (pending !== undefined) track(ctx, conn, pending, req.call_id);
    return undefined;
  }
  track(ctx, conn, Promise.resolve(allowed).then((ok) => join(ctx, conn, req.call_id, name, ok, declaration)), req.call_id);
  return undefined;
}

/** Counts async work as a running call (rpcTaskLimit, close() waits for it). */
function track(ctx: SubscribeContext, conn: ClientConnection, work: Promise<unknown>, callId: string): void {
  conn.inflight++;
  ctx.callStarted();
  work.then(undefined, (err: unknown) => fail(ctx, conn, callId, err)).finally(() => {
    conn.inflight--;
    ctx.callEnded();
  });
}

/** Joins after authorization (not when the connection closed meanwhile), then answers the initial value. */
function join(ctx: SubscribeContext, conn: ClientConnection, callId: string, name: string, ok: boolean, declaration: ChannelDeclaration | undefined): Promise<void> | void {
  if (ok !== true) return respondError(conn, callId, RPCErrorCode.ACCESS_DENIED, deniedMessage(name));
  if (!conn.subscribe(name)) {
    // Closed meanwhile (nothing is sent then), or at maxSubscribedChannels.
    const message = `Cannot subscribe to '${name}': at most ${ctx.maxSubscribedChannels} subscriptions (maxSubscribedChannels).`;
    return respondError(conn, callId, RPCErrorCode.APPLICATION_ERROR, message);
  }
  if (declaration === undefined) return respond(conn, callId, null, name);
  let initial: unknown;
  try {
    initial = declaration.fn.call(ctx.subscriptions.target, conn, name);
  } catch (err) {
    conn.unsubscribe(name);
    return fail(ctx, conn, callId, err);
  }
  if (!isThenable(initial)) return respond(conn, callId, initial ?? null, name);
  return Promise.resolve(initial).then(
    (value) => respond(conn, callId, value ?? null, name),
    (err: unknown) => {
      conn.unsubscribe(name);
      fail(ctx, conn, callId, err);
    },
  );
}

function fail(ctx: SubscribeContext, conn: ClientConnection, callId: string, err: unknown): void {
  const reply = errorReply(err, SUBSCRIBE_METHOD);
  if (reply.internal) ctx.reportError(err, conn);
  else if (reply.clientFault) logClientFault(ctx.logger, conn, SUBSCRIBE_METHOD, reply.message);
  respondError(conn, callId, reply.code, reply.message);
}
