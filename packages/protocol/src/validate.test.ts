import { TypeCompiler } from "@sinclair/typebox/compiler";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PacketSource } from "./enums.js";
import { PacketSchema, type PacketInput } from "./packet.js";
import { compileChecker, exceedsDepth, MAX_DEPTH, toPacket, unknownPacket } from "./validate.js";

describe("toPacket", () => {
  it("normalizes into fresh objects with defaults and without unknown fields", () => {
    const input = { source: 5, rpc: { type: "response", call_id: "c", extra: 1 }, other: 2 };
    const { packet, error } = toPacket(input);
    expect(error).toBeUndefined();
    expect(packet).toEqual({
      source: 5,
      data: null,
      rpc: { type: "response", call_id: "c", response: null, error: null, is_stream: false, is_end: false },
      channel: null,
      timestamp: null,
      correlation_id: null,
    });
    expect(packet.rpc).not.toBe(input.rpc);
  });

  it("keeps falsy values that are not null", () => {
    const { packet } = toPacket({ source: 4, data: 0, channel: "", timestamp: 0, correlation_id: "" });
    expect(packet).toMatchObject({ data: 0, channel: "", timestamp: 0, correlation_id: "" });
    expect(toPacket({ source: 4, data: false }).packet.data).toBe(false);
  });

  it("rejects NaN and infinite timestamps", () => {
    expect(toPacket({ source: 4, timestamp: Number.NaN }).error).toMatch(/timestamp/);
    expect(toPacket({ source: 4, timestamp: Number.POSITIVE_INFINITY }).error).toMatch(/timestamp/);
  });

  it("names the failing path", () => {
    expect(toPacket({ source: "5" }).error).toMatch(/^not a valid packet: \/source: /);
    expect(toPacket([]).error).toMatch(/^not a valid packet: \/: /);
  });
});

describe("unknownPacket", () => {
  it("wraps anything as source 3", () => {
    expect(unknownPacket("x")).toEqual({ source: PacketSource.UNKNOWN, data: "x", rpc: null, channel: null, timestamp: null, correlation_id: null });
  });
});

describe("exceedsDepth", () => {
  const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);
  it("counts the outermost container as level 1", () => {
    expect(exceedsDepth(nest(MAX_DEPTH))).toBe(false);
    expect(exceedsDepth(nest(MAX_DEPTH + 1))).toBe(true);
    expect(exceedsDepth({ a: { b: {} } }, 3)).toBe(false);
    expect(exceedsDepth({ a: { b: {} } }, 2)).toBe(true);
    expect(exceedsDepth(new Map([["a", [[]]]]), 2)).toBe(true);
    expect(exceedsDepth(new Uint8Array(10), 0)).toBe(false);
  });
});

describe("compileChecker", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("falls back to the interpreter where code generation is forbidden, with the same answers", () => {
    const spy = vi.spyOn(TypeCompiler, "Compile").mockImplementation(() => {
      throw new EvalError("Code generation from strings disallowed for this context");
    });
    const interpreted = compileChecker<PacketInput>(PacketSchema);
    expect(spy).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
    const compiled = compileChecker<PacketInput>(PacketSchema);
    const samples: unknown[] = [
      { source: 5, rpc: { type: "request", method: "m" } },
      { source: "5" },
      { source: 5, rpc: { type: "response", call_id: 1 } },
      { source: 2, channel: null, timestamp: 1.5 },
      [],
    ];
    for (const s of samples) {
      expect(interpreted.check(s)).toBe(compiled.check(s));
      if (!compiled.check(s)) expect(interpreted.firstError(s)).toBe(compiled.firstError(s));
    }
  });
});
