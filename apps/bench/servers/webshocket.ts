/**
 * The webshocket bench server: `add` for RPC, `join` + `pub` for fan-out (exact
 * channel, glob pattern, predicate), `stream` for streaming RPC.
 *
 * It runs on the engine asked for — `--engine uws|ws`, else WEBSHOCKET_ENGINE when it names one, else
 * native uWebSockets.js — passed to the server by name (never "auto"), and it refuses to run when
 * `server.engine` is not that engine: a fallback is never benchmarked by accident. `webshocket-ws.ts`
 * is this server on the ws engine.
 */
import { IsEqual, WebSocketHandler, WebSocketServer, rpcMethod, type ClientConnection, type EngineName } from "@webshocket/server";
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

/** The engine asked for: `--engine NAME`, else WEBSHOCKET_ENGINE when it names an engine, else "uws". */
export function askedEngine(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): EngineName {
  const i = argv.indexOf("--engine");
  const raw = i !== -1 ? argv[i + 1] : env.WEBSHOCKET_ENGINE === "auto" || env.WEBSHOCKET_ENGINE === "" ? undefined : env.WEBSHOCKET_ENGINE;
  if (raw === undefined || raw === "uws" || raw === "ws") return raw ?? "uws";
  throw new RangeError(`the bench's webshocket server runs on "uws" or "ws", got ${JSON.stringify(raw)}`);
}

/**
 * Starts a webshocket bench server (default options, as an application would run it) on `engine`.
 * @throws when the server runs on another engine than the one asked for (e.g. uWS's binary did not load).
 */
export async function startWebshocket(port = 0, engine: EngineName = "uws"): Promise<WebSocketServer<BenchState>> {
  // WEBSHOCKET_RESUME=<duration> turns session resumption on (pair --env-b WEBSHOCKET_RESUME=2m: its cost when on).
  const resume = process.env.WEBSHOCKET_RESUME ? { window: process.env.WEBSHOCKET_RESUME } : undefined;
  const server = new WebSocketServer<BenchState>({ port, handler: new BenchHandler(), engine, resume });
  // BENCH_METRICS=1: with the Prometheus metrics middleware (what it costs); BENCH_METRICS_OUT=FILE: /metrics text written there at exit.
  if (process.env.BENCH_METRICS === "1") {
    const { prometheusMetrics } = await import("@webshocket/server/metrics");
    const metrics = prometheusMetrics();
    server.use(metrics);
    const out = process.env.BENCH_METRICS_OUT;
    if (out !== undefined) {
      const { writeFileSync } = await import("node:fs");
      const close = server.close.bind(server);
      server.close = async () => {
        writeFileSync(out, await metrics.registry.metrics());
        return close();
      };
    }
  }
  if (server.engine !== engine || server.native !== (engine === "uws")) {
    throw new Error(`asked for the ${engine} engine, the server runs on ${server.engine}: refusing to benchmark a fallback`);
  }
  await server.start();
  return server;
}

if (isMain(import.meta.url)) {
  const engine = askedEngine();
  const server = await startWebshocket(portFromArgs(), engine);
  installProcessHandlers(() => server.close());
  announce(engine === "uws" ? "webshocket" : `webshocket-${engine}`, server.port);
}
