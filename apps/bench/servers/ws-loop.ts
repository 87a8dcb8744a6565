/**
 * `ws` with a hand-written fan-out loop: "!sub" adds the socket to the subscriber
 * set, "!pub N" sends N × 64 bytes to every subscriber with ws.send in a loop.
 * Any other message is echoed.
 */
import { WebSocketServer, type WebSocket } from "ws";
import { FANOUT_PAYLOAD, announce, installProcessHandlers, isMain, parseControl, portFromArgs } from "./common.js";

export function startWsLoop(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
  const subscribers = new Set<WebSocket>();
  const payload = Buffer.from(FANOUT_PAYLOAD);
  wss.on("connection", (ws) => {
    ws.on("error", () => undefined);
    ws.on("close", () => subscribers.delete(ws));
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const control = isBinary ? undefined : parseControl(data.toString());
      if (control === undefined) return ws.send(data, { binary: isBinary });
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
        ws.send(data, { binary: isBinary });
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
