/**
 * The webshocket bench server: `add` for RPC, `join` + `pub` for fan-out (exact
 * channel, glob pattern, predicate), `stream` for streaming RPC.
 */
import { IsEqual, WebSocketHandler, WebSocketServer, rpcMethod, type ClientConnection } from "@webshocket/server";
import { FANOUT_PAYLOAD, announce, installProcessHandlers, isMain, portFromArgs } from "./common.js";

type BenchState = { tier: string };
type Conn = ClientConnection<BenchState>;

/** Channel names used by the fan-out scenarios. */
export const CHANNEL = "bench";
export const WILDCARD_PATTERN = "bench.*";
export const WILDCARD_CHANNEL = "bench.all";
const GOLD = IsEqual("tier", "gold");

export class BenchHandler extends WebSocketHandler<BenchState> {
  @rpcMethod() add(_c: Conn, a: number, b: number): number {
    return a + b;
  }

  /** Subscribes to a channel or pattern; the session gets tier "gold" (what the predicate scenario tests). */
  @rpcMethod() join(c: Conn, channel: string): boolean {
    c.state.tier = "gold";
    return c.subscribe(channel);
  }

  /**
   * Publishes `n` messages of 64 bytes: "exact" to CHANNEL, "wildcard" to
   * WILDCARD_CHANNEL (reached through the pattern), "predicate" to CHANNEL with a
   * session-state predicate every subscriber passes.
   */
  @rpcMethod() pub(_c: Conn, n: number, mode: string): number {
    for (let i = 0; i < n; i++) {
      if (mode === "exact") void this.publish(CHANNEL, FANOUT_PAYLOAD);
      else if (mode === "wildcard") void this.publish(WILDCARD_CHANNEL, FANOUT_PAYLOAD);
      else if (mode === "predicate") void this.publish(CHANNEL, FANOUT_PAYLOAD, { predicate: GOLD });
      else throw new Error(`unknown mode ${mode}`);
    }
    return n;
  }

  /** Streams 0 … n-1. */
  @rpcMethod() async *stream(_c: Conn, n: number): AsyncGenerator<number> {
    for (let i = 0; i < n; i++) yield i;
  }
}

/** Starts a webshocket bench server (default options, as an application would run it). */
export async function startWebshocket(port = 0): Promise<WebSocketServer<BenchState>> {
  const server = new WebSocketServer<BenchState>({ port, handler: new BenchHandler() });
  await server.start();
  if (!server.native) throw new Error("the native uWebSockets.js binary did not load: refusing to benchmark the JS fallback");
  return server;
}

if (isMain(import.meta.url)) {
  const server = await startWebshocket(portFromArgs());
  installProcessHandlers(() => server.close());
  announce("webshocket", server.port);
}
