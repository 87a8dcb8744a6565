import { once } from "node:events";
import { connect } from "node:net";
import { ClientType, codecFor, createPacket, PacketSource } from "@webshocket/protocol";
import { describe, expect, it } from "vitest";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

/** One client frame (masked with a zero key) carrying `payload` with `opcode`. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? [0x80 | opcode, 0x80 | n] : [0x80 | opcode, 0x80 | 126, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([...head, 0, 0, 0, 0]), payload]);
}

/** The opcodes of the server frames in `bytes` (after the HTTP answer), in order. */
function opcodes(bytes: Buffer): number[] {
  let at = bytes.indexOf("\r\n\r\n") + 4;
  const out: number[] = [];
  while (at + 2 <= bytes.length) {
    const op = (bytes[at] as number) & 0x0f;
    let n = (bytes[at + 1] as number) & 0x7f;
    let head = 2;
    if (n === 126) [n, head] = [bytes.readUInt16BE(at + 2), 4];
    else if (n === 127) [n, head] = [Number(bytes.readBigUInt64BE(at + 2)), 10];
    out.push(op);
    at += head + n;
  }
  return out;
}

describe("closing handshake order", () => {
  it("sends nothing after its close frame when the client closes right behind its requests", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    const codec = codecFor(ClientType.GENERIC);
    // Requests and the close frame in one write: the server reads them in one go, answering while the close arrives.
    const calls = 5 + Math.floor(Math.random() * 20);
    const requests = Array.from({ length: calls }, (_, i) =>
      clientFrame(1, Buffer.from(codec.encode(createPacket(PacketSource.RPC, { rpc: { type: "request", method: "add", args: [i, 1], kwargs: {}, call_id: `c${i}` } })))),
    );
    const close = clientFrame(8, Buffer.from([0x03, 0xe8]));
    const socket = connect(server.port, "127.0.0.1");
    await once(socket, "connect");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunks.length === 1) socket.write(Buffer.concat([...requests, close]));
    });
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await once(socket, "close");
    const ops = opcodes(Buffer.concat(chunks));
    expect(ops.at(-1)).toBe(8);
    expect(ops.indexOf(8)).toBe(ops.length - 1);
  });
});
