import { describe, expect, it } from "vitest";
import { count, fuzzCases, prng, randomString, randomValue } from "../../test/randomValues.js";
import { PacketSource, RPCErrorCode } from "../enums.js";
import { createPacket, createRequest, createResponse, type Packet } from "../packet.js";
import { orderedPacket } from "./codec.js";
import { encodeMsgpackPacket, encodeMsgpackValue } from "./msgpackEncode.js";
import { referenceHex } from "../../test/msgpackrWithInts.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
/** msgpackr's bytes, integers beyond 32 bits and -0 as PROTOCOL.md §7 writes them. */
const reference = referenceHex;

describe("encodeMsgpackValue writes msgpackr's bytes, integers apart", () => {
  it.each([
    ["null", null], ["undefined", undefined], ["true", true], ["false", false], ["-0", -0], ["NaN", NaN],
    ["uint boundaries", [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32]],
    ["int boundaries", [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1]],
    ["floats", [0.5, -1.25, 1e300, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]],
    ["integers beyond 32 bits", [2 ** 32, 2 ** 53 - 1, -(2 ** 31) - 1, -(2 ** 53 - 1)]],
    ["bigints", [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n]],
    ["strings at header boundaries", ["", "a".repeat(31), "a".repeat(32), "a".repeat(255), "a".repeat(256), "a".repeat(65535), "a".repeat(65536)]],
    ["multi-byte strings at header boundaries", ["é".repeat(15), "é".repeat(16), "中".repeat(10), "中".repeat(11), "😀".repeat(7), "😀".repeat(8), "中".repeat(21845), "中".repeat(21846)]],
    ["bytes", [new Uint8Array(0), new Uint8Array(255), new Uint8Array(256), new Uint8Array(65536)]],
    ["containers at header boundaries", [[], Array(15).fill(1), Array(16).fill(1), Array(65536).fill(0), Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))]],
    ["map32", Object.fromEntries(Array.from({ length: 65536 }, (_, i) => [`k${i}`, i]))],
    ["values left to packMsgpack", [new Date(1_700_000_000_123), new Map<number, unknown>([[1, "a"], [2, 2 ** 40]]), new Set([1, -(2 ** 40)]), Object.create(null), Buffer.from("hi"), new Uint8Array([1, 2])]],
    ["undefined inside containers", { a: undefined, b: [undefined] }],
  ])("%s", (_name, value) => {
    expect(hex(encodeMsgpackValue(value))).toBe(reference(value));
  });

  const values = fuzzCases(1_500);
  it(`random values (${count(values)}, seeded)`, () => {
    const rand = prng(0xc0dec);
    for (let i = 0; i < values; i++) {
      const value = randomValue(rand, 4, { dates: true, huge: true });
      const got = encodeMsgpackValue(value);
      const want = reference(value);
      if (hex(got) !== want) expect(hex(got), `case ${i}`).toBe(want);
    }
  });

  it("writes a lone surrogate as U+FFFD, like TextEncoder, in strings and keys", () => {
    expect(hex(encodeMsgpackValue({ "k\uD800": "a\uDC00b" }))).toBe(reference({ "k\uFFFD": "a\uFFFDb" }));
    expect(hex(encodeMsgpackValue(new Map([["\uD800", 1]])))).toBe(reference(new Map([["\uFFFD", 1]])));
  });

  it("throws on what msgpack cannot carry, as msgpackr does", () => {
    expect(() => encodeMsgpackValue(2n ** 64n)).toThrow(RangeError);
    expect(() => encodeMsgpackValue(-(2n ** 63n) - 1n)).toThrow(RangeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeMsgpackValue(cycle)).toThrow();
    // The scratch buffer is usable after a failure.
    expect(hex(encodeMsgpackValue({ ok: 1 }))).toBe(reference({ ok: 1 }));
  });

  it("returns independent copies (the scratch buffer is reused)", () => {
    const a = encodeMsgpackValue("first");
    const b = encodeMsgpackValue("second");
    expect(hex(a)).toBe(reference("first"));
    expect(hex(b)).toBe(reference("second"));
  });

  it("a getter that encodes while encoding gets its own buffer", () => {
    const value = {
      get inner(): string {
        return hex(encodeMsgpackValue({ nested: true }));
      },
    };
    expect(hex(encodeMsgpackValue(value))).toBe(reference({ inner: reference({ nested: true }) }));
  });
});

describe("encodeMsgpackPacket writes the reference's bytes for orderedPacket", () => {
  const big = { rows: Array.from({ length: 50 }, (_, i) => ({ i, name: randomString(prng(i), 12) })) };
  const packets: Array<[string, Packet]> = [
    ["request", createRequest("add", [1, 1001], { x: 1 }, "c001")],
    ["response mirrored in data (small)", createResponse("c001", 1002)],
    ["response mirrored in data (copied)", createResponse("c002", big)],
    ["error response", createResponse("c003", "boom", { error: RPCErrorCode.ACCESS_DENIED })],
    ["stream chunk", createResponse("c004", "x".repeat(40), { isStream: true })],
    ["stream end", createResponse("c004", null, { isStream: true, isEnd: true })],
    ["channel packet", createPacket(PacketSource.CHANNEL, { data: { text: "hi" }, channel: "chat.lobby", correlation_id: "k" })],
    ["null timestamp", createPacket(PacketSource.CUSTOM, { data: 1, timestamp: null })],
    ["integer timestamp", createPacket(PacketSource.BROADCAST, { data: [1], timestamp: 1_700_000_000 })],
  ];
  it.each(packets)("%s", (_name, packet) => {
    expect(hex(encodeMsgpackPacket(packet))).toBe(reference(orderedPacket(packet)));
  });

  it("response whose data differs from rpc.response writes both", () => {
    const packet = createResponse("c", { a: "x".repeat(30) });
    packet.data = { b: "y".repeat(30) };
    expect(hex(encodeMsgpackPacket(packet))).toBe(reference(orderedPacket(packet)));
  });

  const payloads = fuzzCases(1_000);
  it(`random payloads in every packet shape (${count(payloads)}, seeded)`, () => {
    const rand = prng(0xbeef);
    for (let i = 0; i < payloads; i++) {
      const value = randomValue(rand, 3, { dates: true });
      const packet = [createResponse(`c${i}`, value), createRequest("m", [value], { k: value }, "id"), createPacket(PacketSource.CHANNEL, { data: value, channel: "c" })][i % 3] as Packet;
      const got = hex(encodeMsgpackPacket(packet));
      if (got !== reference(orderedPacket(packet))) expect(got, `case ${i}`).toBe(reference(orderedPacket(packet)));
    }
  });
});
