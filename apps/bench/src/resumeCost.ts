/**
 * Session resumption's costs, in one process (run with --expose-gc):
 *  - heap per suspended session (idle: subscribed to one channel, no messages kept);
 *  - heap per message kept for suspended sessions (64-byte publishes to all of them: the encoded bytes are
 *    shared, each session keeps a reference);
 *  - wall time from a resume's handshake to the last of 10,000 missed messages received (JSON client on `ws`).
 *
 *   node --expose-gc apps/bench/dist/src/resumeCost.js [--sessions N] [--messages M] [--engine uws|ws]
 */
import { WebSocketHandler, WebSocketServer, rpcMethod, silentLogger, type ClientConnection, type EngineName } from "@webshocket/server";
import WebSocket from "ws";

class Handler extends WebSocketHandler {
  suspended = 0;
  #waiters: Array<[number, () => void]> = [];
  @rpcMethod() join(conn: ClientConnection, channel: string): boolean {
    return conn.subscribe(channel);
  }
  override onSuspend(): void {
    this.suspended++;
    this.#waiters = this.#waiters.filter(([n, resolve]) => (this.suspended >= n ? (resolve(), false) : true));
  }
  suspensions(n: number): Promise<void> {
    return this.suspended >= n ? Promise.resolve() : new Promise((resolve) => this.#waiters.push([n, resolve]));
  }
}

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : (process.argv[i + 1] ?? dflt);
};

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Opens a JSON client asking for resumption; resolves with it and its token once it has joined `channel`. */
async function open(url: string, channel: string): Promise<{ ws: WebSocket; token: string }> {
  const ws = new WebSocket(`${url}?resume=`);
  let token = "";
  await new Promise<void>((resolve, reject) => {
    ws.on("error", reject);
    ws.on("message", (data) => {
      const p = JSON.parse(String(data)) as { rpc?: { call_id: string; response: { token?: string } } };
      if (p.rpc?.call_id === "$session") {
        token = p.rpc.response.token ?? "";
        ws.send(JSON.stringify({ source: 5, rpc: { type: "request", method: "join", args: [channel], kwargs: {}, call_id: "j" } }));
      } else if (p.rpc?.call_id === "j") resolve();
    });
  });
  ws.removeAllListeners("message");
  return { ws, token };
}

async function main(): Promise<void> {
  const sessions = Number(arg("--sessions", "2000"));
  const messages = Number(arg("--messages", "100"));
  const engine = arg("--engine", "uws") as EngineName;
  const handler = new Handler();
  const server = new WebSocketServer({ port: 0, logger: silentLogger, engine, handler, resume: { window: "10m", maxMessages: 20_000 } });
  await server.start();
  const payload = "x".repeat(40); // a 64-byte-ish JSON packet body with the envelope
  try {
    const before = heap();
    const clients = [];
    for (let i = 0; i < sessions; i++) clients.push(await open(server.url, "room"));
    for (const c of clients) c.ws.terminate();
    await handler.suspensions(sessions);
    clients.length = 0;
    const suspended = heap();
    for (let i = 0; i < messages; i++) await handler.publish("room", payload);
    const buffered = heap();
    console.log(`engine ${server.engine}: ${sessions} suspended sessions, ${messages} messages kept by each`);
    console.log(`heap per suspended session (idle): ${((suspended - before) / sessions).toFixed(0)} B`);
    console.log(`heap per kept message (per session): ${((buffered - suspended) / (sessions * messages)).toFixed(1)} B`);

    // Replay: one session misses 10,000 messages, then comes back.
    const one = await open(server.url, "solo");
    one.ws.terminate();
    await handler.suspensions(sessions + 1);
    const missed = 10_000;
    for (let i = 0; i < missed; i++) void handler.publish("solo", i);
    await new Promise<void>((r) => setImmediate(r));
    const times: number[] = [];
    let token = one.token;
    for (let round = 0; round < 5; round++) {
      const t0 = process.hrtime.bigint();
      const ws = new WebSocket(`${server.url}?resume=${token}.0`);
      let got = 0;
      await new Promise<void>((resolve, reject) => {
        ws.on("error", reject);
        ws.on("message", (data) => {
          const p = JSON.parse(String(data)) as { rpc?: { call_id: string; response: { token: string; recovered: boolean } } };
          if (p.rpc?.call_id === "$session") {
            if (!p.rpc.response.recovered) reject(new Error("not recovered"));
            token = p.rpc.response.token;
          } else if (++got === missed) resolve();
        });
      });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      ws.terminate(); // suspended again, everything unread: the next round replays the same 10,000
      await handler.suspensions(sessions + 2 + round);
    }
    times.sort((a, b) => a - b);
    console.log(`resume + replay of ${missed} missed messages (handshake to last received, JSON over loopback): median ${times[2]?.toFixed(1)} ms (min ${times[0]?.toFixed(1)}, max ${times[4]?.toFixed(1)})`);
  } finally {
    await server.close();
  }
}

await main();
