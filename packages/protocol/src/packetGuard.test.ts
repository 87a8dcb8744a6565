import { readFileSync } from "node:fs";
import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { guardSource } from "../scripts/generate-guard.mjs";
import { isPacketInput } from "./packetGuard.js";
import { PacketSchema } from "./packetSchema.js";

const committed = readFileSync(new URL("./packetGuard.ts", import.meta.url), "utf8");

const request = { type: "request", method: "add", args: [1, 2], kwargs: { a: 1 }, call_id: "c1" };
const response = { type: "response", call_id: "c1", response: 3, error: null, is_stream: false, is_end: false };
const base = { source: 5, data: null, rpc: null, channel: null, timestamp: 1.5, correlation_id: null };

/** Values around every rule of the schema: valid ones, and each field of the wrong type. */
function samples(): unknown[] {
  const out: unknown[] = [
    null, undefined, 0, "x", [], [base], new Date(0), new Uint8Array(2), new Map(), Object.create(null),
    {}, { source: 0 }, { source: 6 }, { source: "5" }, { source: 5.5 }, { source: 1 }, { source: 2, data: undefined },
  ];
  for (const source of [1, 2, 3, 4, 5]) out.push({ ...base, source });
  const fieldValues: unknown[] = [undefined, null, 0, 1.5, Number.NaN, Infinity, -0, "", "s", true, [], {}, [1], { a: 1 }, new Date(0), new Uint8Array(1), 2n];
  for (const key of Object.keys(base)) for (const v of fieldValues) out.push({ ...base, [key]: v });
  for (const rpc of [request, response]) {
    out.push({ ...base, rpc });
    for (const key of [...Object.keys(rpc), "extra"]) {
      for (const v of [...fieldValues, "request", "response", -32601, -32000, -32002, -1, 32601]) out.push({ ...base, rpc: { ...rpc, [key]: v } });
      const { [key]: _dropped, ...rest } = rpc as Record<string, unknown>;
      out.push({ ...base, rpc: rest });
    }
  }
  out.push({ ...base, rpc: { ...request, kwargs: { __proto__: null, a: 1 } } });
  out.push({ ...base, rpc: { ...request, kwargs: Object.create(null) as object } });
  out.push({ ...base, extra: 1 });
  return out;
}

describe("packetGuard.ts (generated from PacketSchema)", () => {
  it("equals a fresh run of scripts/generate-guard.mjs", () => {
    expect(committed).toBe(guardSource(PacketSchema));
  });

  it("answers as TypeBox does", () => {
    const values = samples();
    expect(values.length).toBeGreaterThan(300);
    for (const value of values) expect([value, isPacketInput(value)]).toEqual([value, Value.Check(PacketSchema, value)]);
  });

  it("is plain code: no TypeBox import, no eval", () => {
    expect(committed).not.toMatch(/@sinclair\/typebox|new Function|eval\(/);
  });
});
