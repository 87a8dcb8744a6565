import { expect } from "vitest";
import type { Codec, RawMessage } from "../src/codecs/codec.js";
import { jsonCodec } from "../src/codecs/json.js";
import { msgpackCodec } from "../src/codecs/msgpack.js";
import { PacketSource } from "../src/enums.js";
import type { DecodeResult } from "../src/validate.js";

/** Both codecs, for describe.each. */
export const CODECS: ReadonlyArray<[string, Codec]> = [
  ["msgpack", msgpackCodec],
  ["json", jsonCodec],
];

/** Bytes from hex, spaces allowed. */
export const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));

/** Decodes hostile input: must not throw, must give an UNKNOWN packet and say why. */
export function expectUnknown(codec: Codec, input: RawMessage): DecodeResult {
  let result: DecodeResult | undefined;
  expect(() => (result = codec.decodeDetailed(input))).not.toThrow();
  const { packet, error } = result as DecodeResult;
  expect(packet).toMatchObject({ source: PacketSource.UNKNOWN, rpc: null, channel: null, timestamp: null, correlation_id: null });
  expect(typeof error).toBe("string");
  expect(error?.length).toBeGreaterThan(0);
  const again = codec.decode(input);
  if (again.data instanceof Uint8Array && packet.data instanceof Uint8Array) {
    // The raw input, compared as bytes: toEqual walks a Uint8Array item by item (seconds for a megabyte).
    expect(Buffer.compare(again.data, packet.data), "decode() gives the same data").toBe(0);
    expect({ ...again, data: null }).toEqual({ ...packet, data: null });
  } else {
    expect(again).toEqual(packet);
  }
  return result as DecodeResult;
}
