import { createClient } from "@redis/client";
import { Is, IsEqual, rateLimit } from "@webshocket/guards";
import { rpcMethod, WebSocketHandler, WebSocketServer, type ClientConnection, type Logger } from "@webshocket/server";
import { RedisBroker, RedisRateLimitStore, type RedisBrokerOptions } from "../src/index.js";

export type NodeState = { username: string; team: string; is_admin: boolean };
type Conn = ClientConnection<NodeState>;

/** A handler for cluster tests: publishes report failures to the caller (the RPC errors). */
export class ClusterHandler extends WebSocketHandler<NodeState> {
  readonly errors: unknown[] = [];

  override onError(error: unknown): void {
    this.errors.push(error);
  }
  @rpcMethod() login(c: Conn, username: string, team = "", is_admin = false): void {
    Object.assign(c.state, { username, team, is_admin });
  }
  @rpcMethod() join(c: Conn, channel: string | string[]): boolean {
    return c.subscribe(channel);
  }
  @rpcMethod() leave(c: Conn, channel: string | string[]): void {
    c.unsubscribe(channel);
  }
  @rpcMethod() uid(c: Conn): string {
    return c.uid;
  }
  @rpcMethod() async publishTo(c: Conn, channel: string | string[], data: unknown, mode = "all", excludeUids: string[] = []): Promise<true> {
    const exclude = mode === "exclude-me" ? c : mode === "exclude-uids" ? excludeUids.map((uid) => ({ uid }) as Conn) : undefined;
    const predicate = mode === "red" ? IsEqual("team", "red") : mode === "admins" ? Is("is_admin") : undefined;
    await this.publish(channel, data, { exclude, predicate });
    return true;
  }
  @rpcMethod() async shout(c: Conn, data: unknown, mode = "all"): Promise<true> {
    await this.broadcast(data, mode === "admins" ? { predicate: Is("is_admin") } : mode === "exclude-me" ? { exclude: c } : {});
    return true;
  }
  @rateLimit({ limit: 3, period: "1m", key: (c: Conn) => c.state.username ?? c.uid })
  @rpcMethod()
  limitedPerUser(): string {
    return "ok";
  }
}

/** A logger that keeps every line, for assertions. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (m: string, ...a: unknown[]) => {
    lines.push(`${level} ${m}${a.length > 0 ? ` ${a.map((x) => (x instanceof Error ? x.message : String(x))).join(" ")}` : ""}`);
  };
  return { lines, debug: () => {}, info: keep("info"), warn: keep("warn"), error: keep("error") };
}

/** One in-process server node on the cluster at `url`. Dispose with `await using`. */
export interface ClusterNode extends AsyncDisposable {
  readonly server: WebSocketServer<NodeState>;
  readonly handler: ClusterHandler;
  readonly broker: RedisBroker;
  readonly store: RedisRateLimitStore;
  readonly logger: Logger & { lines: string[] };
  readonly url: string;
}

export async function startNode(redisUrl: string, options: RedisBrokerOptions = {}): Promise<ClusterNode> {
  const handler = new ClusterHandler();
  const broker = new RedisBroker({ url: redisUrl, reconnectMaxDelayMs: 200, ...options });
  const store = new RedisRateLimitStore({ url: redisUrl, reconnectDelayMs: [20, 200] });
  const logger = recordingLogger();
  const server = new WebSocketServer<NodeState>({ host: "127.0.0.1", port: 0, handler, broker, rateLimitStore: store, logger, closeGracePeriod: 500 });
  await server.start();
  await store.connect();
  return {
    server,
    handler,
    broker,
    store,
    logger,
    url: server.url,
    async [Symbol.asyncDispose]() {
      await server.close();
      await store.close();
    },
  };
}

/** A plain Redis client for the tests' own looks at Redis (PUBSUB NUMSUB, CLIENT LIST). */
export async function inspector(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: 50 } });
  client.on("error", () => {});
  await client.connect();
  return Object.assign(client, { [Symbol.asyncDispose]: async () => (client.isReady ? void (await client.close()) : client.destroy()) });
}

type Inspector = Awaited<ReturnType<typeof inspector>>;

/** How many connections subscribe to `channel` (a Redis channel name). */
export async function numsub(redis: Inspector, channel: string): Promise<number> {
  const reply = (await redis.sendCommand(["PUBSUB", "NUMSUB", channel])) as unknown[];
  return Number(reply[1]);
}

/** Pattern subscriptions held, summed over every connection (`psub=` in CLIENT LIST). */
export async function patternSubscriptions(redis: Inspector): Promise<number> {
  const list = String(await redis.sendCommand(["CLIENT", "LIST"]));
  return [...list.matchAll(/ psub=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}
