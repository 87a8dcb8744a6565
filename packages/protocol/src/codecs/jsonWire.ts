import { checkedPacket } from "../checkedPacket.js";
import { unknownPacket } from "../fillPacket.js";
import type { Packet } from "../packet.js";
import { orderedPacket, toBytes, type RawMessage } from "./codec.js";
import { parse, stringify } from "./jsonText.js";
import type { WireCodec } from "./wireCodec.js";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The JSON format for clients: jsonCodec's text and packets (its general paths, without the
 * server's byte-level fast paths), validated by the generated packet guard instead of TypeBox.
 */
export const jsonWire: WireCodec = {
  name: "json",
  encode(packet: Packet): string {
    // The reference form of jsonCodec's text (jsonPacket.test.ts): the same text, less code.
    return stringify(orderedPacket(packet));
  },
  decode(raw: RawMessage): Packet {
    let text: string;
    if (typeof raw === "string") text = raw;
    else {
      const bytes = toBytes(raw);
      try {
        text = decoder.decode(bytes);
      } catch {
        // A copy: the input may be a buffer the transport reuses.
        return unknownPacket(bytes.slice());
      }
    }
    try {
      return checkedPacket(parse(text)); // checkedPacket does not throw
    } catch {
      return unknownPacket(text);
    }
  },
};
