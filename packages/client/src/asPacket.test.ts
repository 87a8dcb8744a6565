import { PacketSource } from "@webshocket/protocol";
import { describe, expect, it } from "vitest";
import { asPacket, isPacketLike } from "./asPacket.js";

describe("asPacket", () => {
  it("wraps plain values in CUSTOM packets", () => {
    for (const v of ["hi", 42, null, [1, 2], { a: 1 }, { source: 99 }, { source: 4, extra: true }]) {
      const packet = asPacket(v);
      expect(packet.source).toBe(PacketSource.CUSTOM);
      expect(packet.data).toEqual(v);
    }
  });

  it("sends packet-shaped objects as they are, with defaults", () => {
    const packet = asPacket({ source: PacketSource.CHANNEL, channel: "room", data: { x: 1 } });
    expect(packet).toMatchObject({ source: 2, channel: "room", data: { x: 1 }, rpc: null, correlation_id: null });
    expect(typeof packet.timestamp).toBe("number");
    expect(isPacketLike(new (class {
      source = 4;
    })())).toBe(false);
  });
});
