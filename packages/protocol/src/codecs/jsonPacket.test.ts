import { describe, expect, it } from "vitest";
import { count, fuzzCases, prng, randomValue } from "../../test/randomValues.js";
import { PacketSource, RPCErrorCode } from "../enums.js";
import { createPacket, createRequest, createResponse, type Packet } from "../packet.js";
import { orderedPacket } from "./codec.js";
import { hasSixteenDigits, stringify } from "./jsonText.js";
import { stringifyPacket } from "./jsonPacket.js";

const reference = (packet: Packet): string => stringify(orderedPacket(packet));

describe("stringifyPacket writes the same text as stringify(orderedPacket(packet))", () => {
  it.each<[string, Packet]>([
    ["request", createRequest("add", [1, 1001], { x: 1 }, "c001")],
    ["response mirrored in data", createResponse("c001", { big: 2n ** 70n, bytes: new Uint8Array([1, 2]) })],
    ["error response", createResponse("c003", "boom", { error: RPCErrorCode.ACCESS_DENIED })],
    ["stream chunk and end", createResponse("c004", "x", { isStream: true, isEnd: true })],
    ["channel packet", createPacket(PacketSource.CHANNEL, { data: { text: "hi\uD800" }, channel: "chat.lobby", correlation_id: "k" })],
    ["null timestamp", createPacket(PacketSource.CUSTOM, { data: 1, timestamp: null })],
  ])("%s", (_name, packet) => {
    expect(stringifyPacket(packet)).toBe(reference(packet));
    expect(JSON.parse(stringifyPacket(packet))).toBeTypeOf("object");
  });

  it("a response whose data differs from rpc.response writes both", () => {
    const packet = createResponse("c", { a: 1 });
    packet.data = { b: 2 };
    expect(stringifyPacket(packet)).toBe(reference(packet));
  });

  const payloads = fuzzCases(1_000);
  it(`random payloads in every packet shape (${count(payloads)}, seeded)`, () => {
    const rand = prng(0x15);
    for (let i = 0; i < payloads; i++) {
      const value = randomValue(rand, 3);
      const packet = [createResponse(`c${i}`, value), createRequest("m", [value], { k: value }, "id"), createPacket(PacketSource.CHANNEL, { data: value, channel: "c" })][i % 3] as Packet;
      const got = stringifyPacket(packet);
      if (got !== reference(packet)) expect(got, `case ${i}`).toBe(reference(packet));
    }
  });
});

describe("hasSixteenDigits", () => {
  it("finds a run of 16 digits anywhere, and only then", () => {
    for (let at = 0; at < 40; at++) {
      for (const len of [15, 16, 17, 30]) {
        const text = `${"x".repeat(at)}${"7".repeat(len)}${"y".repeat(at % 5)}`;
        expect(hasSixteenDigits(text), `${at}/${len}`).toBe(len >= 16);
      }
    }
    expect(hasSixteenDigits('{"a":123456789012345,"b":123456789012345.5}')).toBe(false);
    expect(hasSixteenDigits(`[${"1".repeat(15)}2,${"9".repeat(15)}]`)).toBe(true);
  });
});
