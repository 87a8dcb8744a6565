import { describe, expect, it } from "vitest";
import { serverCallId } from "./serverCallId.js";

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("serverCallId", () => {
  it("gives distinct ids in a UUID v4's shape, one prefix per process and a hex counter after it", () => {
    const ids = Array.from({ length: 5_000 }, serverCallId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_SHAPE);
    expect(new Set(ids.map((id) => id.slice(0, 24))).size).toBe(1);
    const counters = ids.map((id) => Number.parseInt(id.slice(24), 16));
    for (let i = 1; i < counters.length; i++) expect(counters[i]).toBe((counters[i - 1] as number) + 1);
  });
});
