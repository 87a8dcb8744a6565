/**
 * Raw uWebSockets.js: the ceiling. Echoes every message as it came (the RPC
 * baseline); "!sub" subscribes to the topic, "!pub N" publishes N × 64 bytes to it,
 * "!pubpacket N" publishes N copies of the bytes webshocket sends for the same
 * publish (the 64 bytes inside a channel packet: what the wire format costs),
 * "!stream N" sends N small binary frames, respecting backpressure.
 */
import { PacketSource, createPacket, msgpackCodec } from "@webshocket/protocol";
import uWS from "uWebSockets.js";
import { FANOUT_PAYLOAD, announce, installProcessHandlers, isMain, parseControl, portFromArgs } from "./common.js";

const TOPIC = "bench";
const HIGH_WATER = 1024 * 1024;
const textDecoder = new TextDecoder();

interface Data {
  streamLeft: number;
  streamNext: number;
}

export function startUwsRaw(port = 0): Promise<{ port: number; close: () => void }> {
  const app = uWS.App();
  const payload = Buffer.from(FANOUT_PAYLOAD);
  const packet = msgpackCodec.encode(createPacket(PacketSource.CHANNEL, { data: FANOUT_PAYLOAD, channel: TOPIC })).slice();
  const value = new Uint8Array(8);
  const pump = (ws: uWS.WebSocket<Data>): void => {
    const d = ws.getUserData();
    ws.cork(() => {
      while (d.streamLeft > 0 && ws.getBufferedAmount() < HIGH_WATER) {
        new DataView(value.buffer).setUint32(0, d.streamNext++);
        d.streamLeft--;
        ws.send(value, true);
      }
      if (d.streamLeft === 0 && d.streamNext > 0) {
        ws.send("end", false);
        d.streamNext = 0;
      }
    });
  };
  app.ws<Data>("/*", {
    maxPayloadLength: 16 * 1024 * 1024,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    maxBackpressure: 64 * 1024 * 1024,
    upgrade: (res, req, context) => {
      res.upgrade<Data>(
        { streamLeft: 0, streamNext: 0 },
        req.getHeader("sec-websocket-key"),
        req.getHeader("sec-websocket-protocol").split(",")[0]?.trim() ?? "",
        req.getHeader("sec-websocket-extensions"),
        context,
      );
    },
    message: (ws, message, isBinary) => {
      const control = isBinary ? undefined : parseControl(textDecoder.decode(message));
      if (control === undefined) {
        ws.send(message, isBinary);
        return;
      }
      const n = Number(control.args[0] ?? 0);
      if (control.verb === "sub") {
        ws.subscribe(TOPIC);
        ws.send("ok", false);
      } else if (control.verb === "pub" || control.verb === "pubpacket") {
        ws.send("ok", false);
        const [bytes, binary] = control.verb === "pub" ? [payload, false] : [packet, true];
        // like webshocket (and every server here), publish after the callback, not inside it
        setImmediate(() => {
          for (let i = 0; i < n; i++) app.publish(TOPIC, bytes, binary);
        });
      } else if (control.verb === "stream") {
        const d = ws.getUserData();
        d.streamLeft = n;
        d.streamNext = 0;
        pump(ws);
      } else {
        ws.send(message, isBinary);
      }
    },
    drain: (ws) => {
      if (ws.getUserData().streamLeft > 0) pump(ws);
    },
  });
  return new Promise((resolve, reject) => {
    app.listen("127.0.0.1", port, (token) => {
      if (!token) return reject(new Error(`cannot listen on ${port}`));
      resolve({ port: uWS.us_socket_local_port(token as unknown as uWS.us_socket), close: () => uWS.us_listen_socket_close(token) });
    });
  });
}

if (isMain(import.meta.url)) {
  const server = await startUwsRaw(portFromArgs());
  installProcessHandlers(() => server.close());
  announce("uws-raw", server.port);
}
