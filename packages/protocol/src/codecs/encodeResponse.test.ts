import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RPCErrorCode } from "../enums.js";
import { createResponse } from "../packet.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";

describe.each([msgpackCodec, jsonCodec])("$name encodeResponse", (codec) => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_795_000_000_123 }); // the same timestamp for both sides
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each<[string, unknown, RPCErrorCode | null, boolean, boolean]>([
    ["a result", { sum: 3, list: [1, "x"] }, null, false, false],
    ["an error", "Access denied", RPCErrorCode.ACCESS_DENIED, false, false],
    ["a stream chunk", 7, null, true, false],
    ["a stream end", null, null, true, true],
    ["a stream error", "boom", RPCErrorCode.INTERNAL_SERVER_ERROR, true, true],
  ])("writes %s exactly as encode(createResponse(...))", (_name, value, error, isStream, isEnd) => {
    expect(codec.encodeResponse("c1", value, error, isStream, isEnd)).toEqual(codec.encode(createResponse("c1", value, { error, isStream, isEnd })));
  });

  it("writes the tail afresh when the clock or the flags change, and reuses it when they do not", () => {
    // 1_795_000_001_000 is a whole second: a timestamp msgpack writes as an integer, not a float64.
    for (const now of [1_795_000_000_123, 1_795_000_000_123, 1_795_000_001_000, 1_795_000_000_456, 1_795_000_000_456]) {
      vi.setSystemTime(now);
      for (const [isStream, isEnd] of [[false, false], [true, false], [true, true], [false, false]] as const) {
        const value = isEnd ? null : now % 7;
        expect(codec.encodeResponse(`c${now}`, value, null, isStream, isEnd)).toEqual(codec.encode(createResponse(`c${now}`, value, { isStream, isEnd })));
      }
    }
  });

  it("gives a nested call (a getter in the result) its own packet", () => {
    let inner: Uint8Array | undefined;
    const value = {
      get x(): number {
        inner ??= codec.encodeResponse("inner", "i", null, false, false);
        return 1;
      },
    };
    const outer = codec.encodeResponse("outer", value, null, false, false);
    expect(codec.decode(outer).rpc).toMatchObject({ call_id: "outer", response: { x: 1 } });
    expect(codec.decode(inner as Uint8Array).rpc).toMatchObject({ call_id: "inner", response: "i" });
  });

  it("throws for a value the format cannot carry, and works again afterwards", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => codec.encodeResponse("c", cycle, null, false, false)).toThrow();
    expect(codec.decode(codec.encodeResponse("c2", 2, null, false, false)).rpc).toMatchObject({ call_id: "c2", response: 2 });
  });
});
