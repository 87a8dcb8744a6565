import { All, Has, IsEqual, Not } from "@webshocket/guards";
import { msgpackCodec } from "@webshocket/protocol";
import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope, ENVELOPE_VERSION } from "./envelope.js";

describe("envelope", () => {
  it("round-trips a channel delivery with its predicate rebuilt as a working guards predicate", () => {
    const predicate = All(Has("username"), Not(IsEqual("role", { level: 10n, $tag: "x" })));
    const bytes = encodeEnvelope("node-1", 42, { kind: "channel", channels: ["a", "b.c"], data: { n: [1, "two", null] }, exclude: ["u1", "u2"], predicate });
    const { origin, seq, delivery } = decodeEnvelope(bytes);
    expect([origin, seq]).toEqual(["node-1", 42]);
    expect(delivery).toMatchObject({ kind: "channel", channels: ["a", "b.c"], data: { n: [1, "two", null] }, exclude: ["u1", "u2"] });
    expect(delivery.predicate?.toString()).toBe(predicate.toString());
    expect((delivery.predicate as typeof predicate).test({ username: "ada", role: "x" })).toBe(true);
    expect((delivery.predicate as typeof predicate).test({ username: "ada", role: { level: 10n, $tag: "x" } })).toBe(false);
  });

  it("round-trips a broadcast without a predicate, binary data included", () => {
    const data = new Uint8Array([1, 2, 3]);
    const { delivery } = decodeEnvelope(encodeEnvelope("n", 1, { kind: "broadcast", channels: [], data, exclude: [], predicate: undefined }));
    expect(delivery.kind).toBe("broadcast");
    expect(delivery.predicate).toBeUndefined();
    expect(new Uint8Array(delivery.data as Uint8Array)).toEqual(data);
  });

  it("refuses a function predicate when encoding", () => {
    expect(() => encodeEnvelope("n", 1, { kind: "channel", channels: ["a"], data: 1, exclude: [], predicate: () => true })).toThrow(/function predicate/);
  });

  it.each([
    ["not an array", { a: 1 }],
    ["another version", [ENVELOPE_VERSION + 1, "n", 1, 0, [], [], null, 1]],
    ["no origin", [ENVELOPE_VERSION, "", 1, 0, [], [], null, 1]],
    ["a bad seq", [ENVELOPE_VERSION, "n", 1.5, 0, [], [], null, 1]],
    ["a bad kind", [ENVELOPE_VERSION, "n", 1, 2, [], [], null, 1]],
    ["bad channels", [ENVELOPE_VERSION, "n", 1, 0, [1], [], null, 1]],
    ["a bad exclude", [ENVELOPE_VERSION, "n", 1, 0, [], "u", null, 1]],
    ["a bad predicate", [ENVELOPE_VERSION, "n", 1, 0, [], [], { op: "eval", code: "x" }, 1]],
  ])("refuses %s", (_what, value) => {
    expect(() => decodeEnvelope(msgpackCodec.encodeValue(value))).toThrow(TypeError);
  });
});
