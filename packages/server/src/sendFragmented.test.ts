import { describe, expect, it } from "vitest";
import { SendResult, type EngineSocket } from "./engine/engine.js";
import { sendFragmented } from "./sendFragmented.js";

type Call = { kind: "send" | "first" | "more" | "last"; bytes: Uint8Array; isBinary?: boolean; compress: boolean };

/** An EngineSocket that records what it is asked to send and reports `buffered` bytes waiting. */
function recorder(buffered = 0): EngineSocket & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    send: (m, isBinary, compress) => (calls.push({ kind: "send", bytes: m as Uint8Array, isBinary, compress }), SendResult.SUCCESS),
    sendFirstFragment: (bytes, isBinary, compress) => (calls.push({ kind: "first", bytes, isBinary, compress }), true),
    sendFragment: (bytes, compress) => (calls.push({ kind: "more", bytes, compress }), true),
    sendLastFragment: (bytes, compress) => (calls.push({ kind: "last", bytes, compress }), true),
    getBufferedAmount: () => buffered,
    cork: (fn) => fn(),
    end: () => {},
    close: () => {},
  };
}

describe("sendFragmented", () => {
  it("cuts a message into views of chunkSize bytes whose concatenation is the message", () => {
    let seed = 3;
    const rand = (m: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % m);
    for (let round = 0; round < 40; round++) {
      const chunk = 1024 + rand(5000);
      const message = new Uint8Array(chunk + 1 + rand(chunk * 6)).map(() => rand(256));
      const ws = recorder();
      expect(sendFragmented(ws, message, round % 2 === 0, true, chunk, 0)).toBe(SendResult.SUCCESS);
      const kinds = ws.calls.map((c) => c.kind);
      expect(kinds[0]).toBe("first");
      expect(kinds.at(-1)).toBe("last");
      expect(kinds.slice(1, -1).every((k) => k === "more")).toBe(true);
      expect(ws.calls[0]?.isBinary).toBe(round % 2 === 0);
      expect(ws.calls.every((c) => c.bytes.length <= chunk && c.bytes.length > 0 && c.bytes.buffer === message.buffer && !c.compress)).toBe(true);
      expect(ws.calls.slice(0, -1).every((c) => c.bytes.length === chunk)).toBe(true);
      expect(Buffer.concat(ws.calls.map((c) => c.bytes)).equals(message)).toBe(true);
    }
  });

  it("sends a message of at most chunkSize bytes in one frame, as it was asked to (compressed or not)", () => {
    const ws = recorder();
    sendFragmented(ws, new Uint8Array(2048), true, true, 2048, 0);
    expect(ws.calls.map((c) => [c.kind, c.compress])).toEqual([["send", true]]);
  });

  it("fragments a string by its UTF-8 bytes", () => {
    const ws = recorder();
    const text = "é".repeat(1500); // 3000 bytes
    sendFragmented(ws, text, false, false, 1024, 0);
    expect(ws.calls.map((c) => c.bytes.length)).toEqual([1024, 1024, 952]);
    expect(Buffer.concat(ws.calls.map((c) => c.bytes)).toString()).toBe(text);
  });

  it("sends the message in one frame (the engine's send: whole or dropped whole) when its fragments could take the buffer past maxBackpressure", () => {
    const limit = 1024 * 1024;
    const message = new Uint8Array(512 * 1024);
    const full = recorder(limit - 100 * 1024);
    expect(sendFragmented(full, message, true, true, 65536, limit)).toBe(SendResult.SUCCESS);
    expect(full.calls.map((c) => [c.kind, c.bytes.length, c.compress])).toEqual([["send", message.length, true]]);
    const room = recorder(100 * 1024);
    expect(sendFragmented(room, message, true, false, 65536, limit)).toBe(SendResult.BACKPRESSURE);
    expect(room.calls.length).toBe(8);
    const unlimited = recorder(limit * 10);
    expect(sendFragmented(unlimited, message, true, false, 65536, 0)).toBe(SendResult.BACKPRESSURE);
    expect(unlimited.calls.length).toBe(8);
  });
});
