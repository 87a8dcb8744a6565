/**
 * Bare `ws`: the ceiling on ws for the RPC rows (an echo) and a hand-written fan-out loop: "!sub" adds the
 * socket to the subscriber set, "!pub N" sends N × 64 bytes to every subscriber with ws.send in a loop.
 * Any other message is echoed.
 *
 * Options as webshocket's ws engine runs `ws` by default: no permessage-deflate, Buffers, no UTF-8 check
 * skipped. The echo corks the connection's Node socket from its first message in a read until the read's
 * messages are all handled (process.nextTick), so the echoes of one read leave in one write — as uWS does
 * on its own for the raw uWS echo, and as webshocket batches a turn's answers on both engines. Uncorked,
 * ws writes once per message (a system call each) and the echo took ~3× the server CPU per call of
 * webshocket's ws engine (README, 2026-12-01): no ceiling. The fan-out loop is left as an application
 * would write it (one write per message and subscriber).
 */
import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { FANOUT_PAYLOAD, announce, installProcessHandlers, isMain, parseControl, portFromArgs } from "./common.js";

export function startWsLoop(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
  const subscribers = new Set<WebSocket>();
  const payload = Buffer.from(FANOUT_PAYLOAD);
  wss.on("connection", (ws, req: IncomingMessage) => {
    const raw = req.socket;
    let corked = false;
    const uncork = (): void => {
      corked = false;
      raw.uncork();
    };
    /** Echoes under a cork held until this read's messages are handled. */
    const echo = (data: Buffer, isBinary: boolean): void => {
      if (!corked) {
        corked = true;
        raw.cork();
        process.nextTick(uncork);
      }
      ws.send(data, { binary: isBinary });
    };
    ws.on("error", () => undefined);
    ws.on("close", () => subscribers.delete(ws));
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const control = isBinary ? undefined : parseControl(data.toString());
      if (control === undefined) return echo(data, isBinary);
      if (control.verb === "sub") {
        subscribers.add(ws);
        ws.send("ok");
      } else if (control.verb === "pub") {
        ws.send("ok");
        const n = Number(control.args[0] ?? 0);
        setImmediate(() => {
          for (let i = 0; i < n; i++) for (const s of subscribers) s.send(payload, { binary: false });
        });
      } else {
        echo(data, isBinary);
      }
    });
  });
  return new Promise((resolve, reject) => {
    wss.once("error", reject);
    wss.once("listening", () => {
      const address = wss.address();
      if (address === null || typeof address === "string") return reject(new Error("unexpected address"));
      resolve({ port: address.port, close: () => new Promise<void>((r) => wss.close(() => r())) });
    });
  });
}

if (isMain(import.meta.url)) {
  const server = await startWsLoop(portFromArgs());
  installProcessHandlers(() => server.close());
  announce("ws-loop", server.port);
}
