import { CloseCode } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import type { ConnectionContext } from "./middleware.js";
import { runChain, type Hook } from "./runChain.js";

/** What the connection hooks need from the server. */
export interface ConnectionHookHost {
  reportError(err: unknown, conn: ClientConnection | undefined): void;
}

/** Runs a handler hook; what it throws or rejects with is reported, never passed on. */
function guarded(host: ConnectionHookHost, conn: ClientConnection, run: () => void | Promise<void>): void | Promise<void> {
  try {
    const r = run();
    if (r !== undefined && typeof (r as Promise<void>).then === "function") return (r as Promise<void>).then(undefined, (err: unknown) => host.reportError(err, conn));
  } catch (err) {
    host.reportError(err, conn);
  }
  return undefined;
}

/** `open` hooks around `onConnect`: a hook that throws gets the socket closed with 1008. */
export function interceptOpen(host: ConnectionHookHost, hooks: readonly Hook<ConnectionContext<object>>[], conn: ClientConnection, onConnect: () => void | Promise<void>): void {
  const fail = (_ctx: ConnectionContext<object>, err: unknown): void => {
    host.reportError(err, conn);
    conn.close(CloseCode.POLICY_VIOLATION, "Connection refused");
  };
  void runChain(hooks, { conn, code: undefined }, () => guarded(host, conn, onConnect), fail);
}

/** `close` hooks around `onDisconnect`. */
export function interceptClose(host: ConnectionHookHost, hooks: readonly Hook<ConnectionContext<object>>[], conn: ClientConnection, code: number | undefined, onDisconnect: () => void | Promise<void>): void {
  void runChain(hooks, { conn, code }, () => guarded(host, conn, onDisconnect), (_ctx, err) => host.reportError(err, conn));
}
