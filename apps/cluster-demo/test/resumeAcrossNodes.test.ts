// Resumption across a 3-node cluster (PROTOCOL.md § 11 "moved", § 12): the client's node is SIGKILLed mid-burst,
// the client comes back on another node through a retargeted TCP proxy, and recovers by position.
import { createClient } from "@redis/client";
import { WebSocketClient } from "@webshocket/client";
import { ClientType, PacketSource, type Packet } from "@webshocket/protocol";
import { RawClient, requireRedisServer, startTcpProxy } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import { startCluster } from "../src/startCluster.js";

const hasRedis = requireRedisServer("cluster resumption tests (3 reference-server processes on one Redis)");

interface SessionInfo {
  token: string;
  recovered: boolean;
  reason: string | null;
}
interface HistoryAnswer {
  epoch: string;
  offset: number;
  publications: Array<{ offset: number; data: unknown }>;
  recovered: boolean;
}

const isSession = (p: Packet): boolean => p.rpc?.type === "response" && p.rpc.call_id === "$session";
const sessionOf = (p: Packet): SessionInfo => (p.rpc as { response: SessionInfo }).response;

async function inspect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: 50 } });
  client.on("error", () => {});
  await client.connect();
  return Object.assign(client, { [Symbol.asyncDispose]: async () => (client.isReady ? void (await client.close()) : client.destroy()) });
}

/** Publishes `n` messages over `channels` in a random order from one connection (in order per channel); returns what went where. */
function plan(n: number, channels: readonly string[]): Array<[string, number]> {
  return Array.from({ length: n }, (_, i) => [channels[Math.floor(Math.random() * channels.length)] as string, i]);
}

/** Sends the publishes in order, a few calls in flight at a time (under the server's rpcTaskLimit); every one must succeed. */
async function publishAll(client: WebSocketClient, sends: ReadonlyArray<[string, number]>, window = 8): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sends.length) {
      const [channel, i] = sends[next++] as [string, number];
      const answer = await client.call("publish", [channel, i]);
      if (answer.rpc.error !== null) throw new Error(`publish ${i} failed: ${String(answer.rpc.error)}`);
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
}

describe.skipIf(!hasRedis)("resumption across a 3-node cluster (Redis sessions and history)", () => {
  it("a plain JSON client whose node is killed mid-burst resumes on another node: moved, state and subscriptions intact, every publication once, in order", async () => {
    const n = 2000 + Math.floor(Math.random() * 3000);
    await using cluster = await startCluster({ nodes: 3, basePort: 0, env: { RESUME_WINDOW: "1m", HISTORY_SIZE: String(n) } });
    const [nodeA, nodeB, nodeC] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    await using redis = await inspect(cluster.redisUrl);
    await using proxy = await startTcpProxy(nodeA.port);
    const channels = ["room.a", "room.b", "room.c"];

    const first = await RawClient.connect(`ws://127.0.0.1:${proxy.port}/?resume=&positions=1`, ClientType.GENERIC);
    const session = sessionOf(await first.waitFor(isSession));
    expect((await first.call("login", ["alice", "editor"])).error).toBe(null);
    for (const channel of channels) expect((await first.call("join", [channel])).response).toBe(true);
    // Node A listens in Redis, and its snapshot of the session (state and channels) is there.
    await vi.waitFor(async () => {
      for (const channel of channels) expect(((await redis.sendCommand(["PUBSUB", "NUMSUB", `webshocket:c:${channel}`])) as unknown[])[1]).toBe(1);
      expect(String(await redis.get(`webshocket:session:${session.token}`))).toContain("room.c");
    });

    const sends = plan(n, channels);
    const killAt = Math.floor(n / 5 + Math.random() * (n / 3));
    await using publisher = await new WebSocketClient(nodeC.url, { format: "json" }).connect();
    const burst = publishAll(publisher, sends);
    await first.waitUntil(() => first.packets.filter((p) => p.source === PacketSource.CHANNEL).length >= killAt);
    nodeA.process.kill("SIGKILL");
    await first.closed;
    proxy.retarget(nodeB.port);
    const before = first.packets.filter((p) => p.source === PacketSource.CHANNEL);
    expect(before.every((p) => Array.isArray(p.position))).toBe(true);

    // The client comes back through the same address; node B takes the session from Redis.
    const second = await RawClient.connect(`ws://127.0.0.1:${proxy.port}/?resume=${session.token}.${before.length}&positions=1`, ClientType.GENERIC);
    await using _second = second;
    const moved = sessionOf(await second.waitFor(isSession));
    expect(moved).toMatchObject({ recovered: true, reason: "moved" });
    expect((await second.call("whoami")).response).toBe("alice");
    // Recovery by position, as a client does it: $history after the last position seen per channel.
    const recovered = new Map<string, HistoryAnswer>();
    for (const channel of channels) {
      const last = before.filter((p) => p.channel === channel).at(-1)?.position;
      const answer = (await second.call("$history", [channel, last?.[0] ?? null, last?.[1] ?? null])).response as HistoryAnswer;
      expect(answer.recovered).toBe(true);
      recovered.set(channel, answer);
    }
    await burst;
    const expected = (channel: string): number[] => sends.filter(([c]) => c === channel).map(([, i]) => i);
    const live = (channel: string): Packet[] => second.packets.filter((p) => p.source === PacketSource.CHANNEL && p.channel === channel);
    for (const channel of channels) {
      // The newest offset now that the burst is over: the live stream (or the recovery) reaches it.
      const newest = ((await second.call("$history", [channel, null, null, 0])).response as HistoryAnswer).offset;
      await second.waitUntil(() => Math.max(live(channel).at(-1)?.position?.[1] ?? 0, recovered.get(channel)?.offset ?? 0) >= newest);
    }
    for (const channel of channels) {
      const answer = recovered.get(channel) as HistoryAnswer;
      const offsets = live(channel).map((p) => p.position?.[1] as number);
      expect(new Set(offsets).size).toBe(offsets.length); // no duplicate live message
      const newestRecovered = answer.publications.at(-1)?.offset ?? before.filter((p) => p.channel === channel).at(-1)?.position?.[1] ?? 0;
      const got = [
        ...before.filter((p) => p.channel === channel).map((p) => p.data),
        ...answer.publications.map((p) => p.data),
        ...live(channel).filter((p) => (p.position?.[1] as number) > newestRecovered).map((p) => p.data),
      ];
      expect(got).toEqual(expected(channel));
    }

    // The token the session moved with is used up, on every node.
    for (const node of [nodeB, nodeC]) {
      const again = await RawClient.connect(`${node.url}/?resume=${session.token}.0`, ClientType.GENERIC);
      expect(sessionOf(await again.waitFor(isSession))).toMatchObject({ recovered: false, reason: "used" });
      await again.close();
    }
  }, 120_000);

  it.each([
    ["SIGKILL", "killed (a crash)"],
    ["SIGTERM", "shut down (a rolling deploy: it hands its sessions over)"],
  ] as const)("our Node client (autoReconnect) on exact channels and a pattern: its node gets %s mid-burst — %s —, it resumes on another (moved) and gets every publication once, in order", async (signal, _what) => {
    const n = 2000 + Math.floor(Math.random() * 3000);
    await using cluster = await startCluster({ nodes: 3, basePort: 0, env: { RESUME_WINDOW: "1m", HISTORY_SIZE: String(n) } });
    const [nodeA, nodeB, nodeC] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    await using redis = await inspect(cluster.redisUrl);
    await using proxy = await startTcpProxy(nodeA.port);
    const exact = ["public.a", "public.b"];
    const byPattern = ["public.p.1", "public.p.2"];
    const channels = [...exact, ...byPattern];

    const got = new Map<string, unknown[]>(channels.map((c) => [c, []]));
    await using client = await new WebSocketClient(`ws://127.0.0.1:${proxy.port}`, { format: "json", autoReconnect: { retryInterval: 0.02, maxRetryAttempt: 20 } }).connect();
    const reconnected = new Promise<{ recovered: boolean; reason: string | null }>((resolve) => client.on("reconnect", resolve));
    const recovered = new Promise<Array<{ channel: string; recovered: boolean; replayed: number }>>((resolve) => client.on("recover", (e) => resolve([...e.channels])));
    expect((await client.call("login", ["alice", "editor"])).rpc.error).toBe(null);
    // Waits on the messages received (no polling): `until(check)` resolves once `check()` holds after a message.
    const waiting: Array<{ check: () => boolean; resolve: () => void }> = [];
    const keep = (packet: Packet): void => {
      got.get(packet.channel as string)?.push(packet.data);
      for (const w of waiting.splice(0)) {
        if (w.check()) w.resolve();
        else waiting.push(w);
      }
    };
    const until = (check: () => boolean): Promise<void> => (check() ? Promise.resolve() : new Promise((resolve) => void waiting.push({ check, resolve })));
    for (const channel of exact) await client.subscribe(channel, (_data, packet) => keep(packet));
    await client.subscribe("public.p.*", (_data, packet) => keep(packet));
    await using publisher = await new WebSocketClient(nodeC.url, { format: "json" }).connect();
    // Node A listens in Redis; the session's snapshot there has the state and every subscription.
    await vi.waitFor(async () => {
      for (const channel of exact) expect(((await redis.sendCommand(["PUBSUB", "NUMSUB", `webshocket:c:${channel}`])) as unknown[])[1]).toBe(1);
      const snapshots = (await redis.keys("webshocket:session:*")) as string[];
      const texts = await Promise.all(snapshots.map((k) => redis.get(k)));
      expect(texts.some((t) => String(t).includes("public.p.*") && String(t).includes("alice"))).toBe(true);
    });
    // One message per channel first: the client holds a position on each before the kill (a channel it never
    // received from has no position to recover from, by design).
    await publishAll(publisher, channels.map((c) => [c, -1]));
    await until(() => [...got.values()].every((m) => m.length === 1));

    const sends = plan(n, channels);
    const killAt = Math.floor(n / 5 + Math.random() * (n / 3));
    const burst = publishAll(publisher, sends);
    const total = (): number => [...got.values()].reduce((sum, m) => sum + m.length, 0);
    await until(() => total() >= killAt);
    nodeA.process.kill(signal);
    await new Promise<void>((resolve) => client.on("disconnect", () => resolve()));
    proxy.retarget(nodeB.port);

    expect(await reconnected).toEqual(expect.objectContaining({ recovered: true, reason: "moved" }));
    const report = await recovered;
    expect(report.map((r) => r.channel).sort()).toEqual([...channels].sort());
    expect(report.every((r) => r.recovered)).toBe(true);
    expect((await client.call("whoami")).data).toBe("alice"); // state came along; subscriptions did too (no re-subscribe)
    await burst;
    for (const channel of channels) {
      const expected = [-1, ...sends.filter(([c]) => c === channel).map(([, i]) => i)];
      await until(() => (got.get(channel)?.length ?? 0) >= expected.length);
      expect(got.get(channel)).toEqual(expected);
    }
  }, 120_000);

  it("a node still holding a suspended session lets it go when the session is taken on another node", async () => {
    await using cluster = await startCluster({ nodes: 2, basePort: 0, env: { RESUME_WINDOW: "1m" } });
    const [nodeB, nodeC] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    await using redis = await inspect(cluster.redisUrl);
    const numsub = async (channel: string): Promise<number> => Number(((await redis.sendCommand(["PUBSUB", "NUMSUB", `webshocket:c:${channel}`])) as unknown[])[1]);
    const channel = `solo.${Math.random().toString(36).slice(2)}`;
    const first = await RawClient.connect(`${nodeB.url}/?resume=`, ClientType.GENERIC);
    const session = sessionOf(await first.waitFor(isSession));
    await first.call("login", ["dora"]);
    await first.call("join", [channel]);
    await vi.waitFor(async () => expect(String(await redis.get(`webshocket:session:${session.token}`))).toContain(channel));
    first.ws.terminate(); // suspended on node B, which keeps its subscription in Redis
    const second = await RawClient.connect(`${nodeC.url}/?resume=${session.token}.0`, ClientType.GENERIC);
    await using _second = second;
    expect(sessionOf(await second.waitFor(isSession))).toMatchObject({ recovered: true, reason: "moved" });
    expect((await second.call("whoami")).response).toBe("dora");
    // Node B heard of the take and let the session go: only node C still subscribes to its channel.
    await vi.waitFor(async () => expect(await numsub(channel)).toBe(1), { timeout: 10_000 });
    await using other = await RawClient.connect(nodeB.url, ClientType.GENERIC);
    await other.call("publish", [channel, "once"]); // from the old node: reaches the session on its new one
    await second.waitFor((p) => p.source === PacketSource.CHANNEL && p.data === "once");
  }, 60_000);
});
