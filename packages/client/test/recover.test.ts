// Channel recovery after a session that could not be resumed: our client, a real server with history, a TCP proxy
// the test cuts. Missed publications come from `$history`, before newer live ones, each exactly once.
import { rpcMethod, silentLogger, WebSocketHandler, WebSocketServer, type ClientConnection } from "@webshocket/server";
import { startTcpProxy } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { WebSocketClient, type ClientEvents } from "../src/index.js";

const CHANNELS = ["ch.a", "ch.b", "ch.c"];

class RecoverHandler extends WebSocketHandler {
  /** Publishes, in order, so far: [channel, data]. */
  readonly published: Array<[string, number]> = [];
  #gone: Array<() => void> = [];
  #connected: Array<() => void> = [];
  /** Publishes started when the client comes back (while it recovers). */
  onReturn = 0;
  burst: Promise<void> = Promise.resolve();

  override canSubscribe(): boolean {
    return true;
  }
  override onDisconnect(): void {
    for (const f of this.#gone.splice(0)) f();
  }
  override onConnect(): void {
    for (const f of this.#connected.splice(0)) f();
    if (this.onReturn > 0) this.burst = this.publishRandom(this.onReturn, CHANNELS, true);
  }
  disconnected(): Promise<void> {
    return new Promise((r) => this.#gone.push(r));
  }

  /** n publishes to random channels (a few per event-loop turn when `spread`, so they interleave with recovery). */
  async publishRandom(n: number, channels: readonly string[], spread = false): Promise<void> {
    for (let i = 0; i < n; i++) {
      const channel = channels[Math.floor(Math.random() * channels.length)] as string;
      const data = this.published.length;
      this.published.push([channel, data]);
      await this.publish(channel, data);
      if (spread && i % 3 === 2) await new Promise<void>((r) => setImmediate(r));
    }
  }

  @rpcMethod() ping(_conn: ClientConnection): boolean {
    return true;
  }
}

function expected(handler: RecoverHandler, channel: string): number[] {
  return handler.published.filter(([c]) => c === channel).map(([, d]) => d);
}

/** A client subscribed to CHANNELS, recording what each delivers; resolves `until` once a channel holds `count`. */
async function subscribedClient(url: string, format: "msgpack" | "json") {
  const client = new WebSocketClient(url, { format, autoReconnect: { retryInterval: "10ms", maxRetryAttempt: 100 } });
  const got = new Map<string, number[]>(CHANNELS.map((c) => [c, []]));
  let check = (): void => {};
  await client.connect();
  for (const channel of CHANNELS) await client.subscribe<number>(channel, (data) => (got.get(channel)!.push(data), check()));
  const until = (want: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      check = () => want() && resolve();
      check();
    });
  return { client, got, until };
}

describe.each(["msgpack", "json"] as const)("channel recovery (%s)", (format) => {
  it("delivers every publication missed while away exactly once, in order per channel, before newer ones", async () => {
    const handler = new RecoverHandler();
    await using server = await new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, handler, resume: { window: "10ms" }, history: { size: 10_000 } }).start();
    await using proxy = await startTcpProxy(server.port);
    const { client, got, until } = await subscribedClient(`ws://127.0.0.1:${proxy.port}`, format);
    await using _ = client;
    const allArrived = (): boolean => CHANNELS.every((c) => got.get(c)!.length === expected(handler, c).length);
    await handler.publishRandom(30 + Math.floor(Math.random() * 30), CHANNELS);
    await until(allArrived);

    const gone = handler.disconnected();
    proxy.cut();
    await gone; // the resume window passed: the session is gone for good
    await handler.publishRandom(200 + Math.floor(Math.random() * 300), CHANNELS); // missed while away
    await handler.publishRandom(257 + Math.floor(Math.random() * 300), ["ch.a"]); // more than one $history page
    handler.onReturn = 100 + Math.floor(Math.random() * 200); // and more, live, while the client recovers
    const reconnect = client.once("reconnect");
    const recover = client.once("recover");
    proxy.restore();
    expect(await reconnect).toMatchObject({ recovered: false, reason: "expired" });
    const report = await recover;
    await handler.burst;
    await until(allArrived);
    for (const channel of CHANNELS) expect(got.get(channel), channel).toEqual(expected(handler, channel));
    expect(report.channels.map((c) => [c.channel, c.recovered]).sort()).toEqual(CHANNELS.map((c) => [c, true]));
    for (const c of report.channels) expect(c.replayed).toBeGreaterThan(0);
    // Nothing more arrives: one more publish per channel is the next thing each gets.
    await handler.publishRandom(5, CHANNELS);
    await until(allArrived);
    for (const channel of CHANNELS) expect(got.get(channel), channel).toEqual(expected(handler, channel));
  });

  it("reports recovered: false for a channel whose history no longer reaches back, delivering none of its gap", async () => {
    const handler = new RecoverHandler();
    await using server = await new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, handler, resume: { window: "10ms" }, history: { size: 8 } }).start();
    await using proxy = await startTcpProxy(server.port);
    const { client, got, until } = await subscribedClient(`ws://127.0.0.1:${proxy.port}`, format);
    await using _ = client;
    await handler.publishRandom(12, CHANNELS);
    await until(() => CHANNELS.every((c) => got.get(c)!.length === expected(handler, c).length));
    const before = new Map(CHANNELS.map((c) => [c, [...got.get(c)!]]));

    const gone = handler.disconnected();
    proxy.cut();
    await gone;
    await handler.publishRandom(8 + Math.floor(Math.random() * 20), ["ch.a"]); // more than ch.a keeps
    await handler.publishRandom(3, ["ch.b"]); // ch.b's gap fits; ch.c has none
    const recover = client.once("recover");
    proxy.restore();
    const report: ClientEvents["recover"] = await recover;
    const byChannel = Object.fromEntries(report.channels.map((c) => [c.channel, c]));
    expect(byChannel["ch.a"]).toEqual({ channel: "ch.a", recovered: false, replayed: 0 });
    expect(byChannel["ch.b"]).toEqual({ channel: "ch.b", recovered: true, replayed: 3 });
    expect(byChannel["ch.c"]).toEqual({ channel: "ch.c", recovered: true, replayed: 0 });
    await handler.publishRandom(1, ["ch.a"]);
    await until(() => got.get("ch.a")!.length === before.get("ch.a")!.length + 1);
    expect(got.get("ch.a")).toEqual([...before.get("ch.a")!, handler.published.at(-1)![1]]); // nothing of the gap
    expect(got.get("ch.b")).toEqual(expected(handler, "ch.b"));
  });
});
