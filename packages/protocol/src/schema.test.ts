import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSchemas, DIALECT } from "../scripts/generate-schema.mjs";
import * as protocol from "./index.js";

const file = (name: string): string => readFileSync(new URL(`../schema/${name}`, import.meta.url), "utf8");

describe("committed JSON Schema files", () => {
  const fresh = buildSchemas(protocol);

  it("equal a fresh run of scripts/generate-schema.mjs", () => {
    for (const [name, content] of Object.entries(fresh)) expect(file(name), `schema/${name} is stale: run pnpm build`).toBe(content);
  });

  it("are draft 2020-12 with the $id only at the root", () => {
    for (const name of Object.keys(fresh)) {
      const schema = JSON.parse(file(name)) as Record<string, unknown>;
      expect(schema.$schema).toBe(DIALECT);
      expect(Object.keys(schema).slice(0, 2)).toEqual(["$schema", "$id"]);
      expect(file(name).match(/"\$id"/g)).toHaveLength(1);
    }
  });

  it("list packet fields in wire order, with the same required fields as the TypeBox schemas", () => {
    const packet = JSON.parse(file("packet.schema.json")) as { required: string[]; properties: Record<string, unknown> };
    expect(Object.keys(packet.properties)).toEqual(["source", "data", "rpc", "channel", "timestamp", "correlation_id", "position"]);
    expect(packet.required).toEqual(protocol.PacketSchema.required);
    const request = JSON.parse(file("rpc-request.schema.json")) as { required: string[]; properties: Record<string, unknown> };
    expect(Object.keys(request.properties)).toEqual(["type", "method", "args", "kwargs", "call_id", "traceparent"]);
    expect(request.required).toEqual(["type", "method"]);
    const response = JSON.parse(file("rpc-response.schema.json")) as { required: string[]; properties: Record<string, unknown> };
    expect(Object.keys(response.properties)).toEqual(["type", "call_id", "response", "error", "is_stream", "is_end"]);
    expect(response.required).toEqual(["type", "call_id"]);
  });

  it("carry no TypeBox internals", () => {
    for (const content of Object.values(fresh)) expect(content).not.toMatch(/\[Kind\]|\[Optional\]|Symbol/);
  });
});
