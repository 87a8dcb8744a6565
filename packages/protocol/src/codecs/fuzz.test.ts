import { describe, expect, it } from "vitest";
import { CODECS } from "../../test/decoding.js";
import { fuzzCases, prng } from "../../test/randomValues.js";
import { PacketSource } from "../enums.js";
import type { DecodeResult } from "../validate.js";

const REQUEST = { source: 5, rpc: { type: "request", method: "m", args: [1], kwargs: { a: 1 }, call_id: "c" } };

describe.each(CODECS)("%s: fuzz", (_name, codec) => {
  it("random bytes and mutated packets never throw and always give a packet", () => {
    const rand = prng(0x5eed);
    const valid = codec.encodeValue({ ...REQUEST, data: { s: "héllo", n: [1, -1, 2n ** 60n, 0.5], b: true } });
    const inputs = fuzzCases(3_000);
    for (let i = 0; i < inputs; i++) {
      let input: Uint8Array;
      if (i % 2 === 0) {
        input = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
      } else {
        input = valid.slice();
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) input[Math.floor(rand() * input.length)] = Math.floor(rand() * 256);
      }
      let result: DecodeResult | undefined;
      expect(() => (result = codec.decodeDetailed(input)), `input ${Buffer.from(input).toString("hex")}`).not.toThrow();
      const { packet, error } = result as DecodeResult;
      expect(Object.values(PacketSource)).toContain(packet.source);
      expect(packet.source === PacketSource.UNKNOWN || error === undefined).toBe(true);
    }
  });
});
