import { checkedPacket } from "../checkedPacket.js";
import { unknownPacket } from "../fillPacket.js";
import type { Packet } from "../packet.js";
import { orderedPacket, toBytes, type RawMessage } from "./codec.js";
import { decodeMsgpack } from "./msgpackDecode.js";
import { packMsgpack } from "./packMsgpack.js";
import type { WireCodec } from "./wireCodec.js";

/**
 * The msgpack format for clients: the bytes of msgpackCodec.encode (written by packMsgpack,
 * not msgpackr), and the packets of msgpackCodec.decode (the protocol's own validating
 * decoder, without the server's fast path), validated by the generated packet guard.
 */
export const msgpackWire: WireCodec = {
  name: "msgpack",
  encode(packet: Packet): Uint8Array {
    return packMsgpack(orderedPacket(packet));
  },
  decode(raw: RawMessage): Packet {
    if (typeof raw === "string") return unknownPacket(raw);
    const bytes = toBytes(raw);
    let value: unknown;
    try {
      value = decodeMsgpack(bytes);
    } catch {
      // A copy: the input may be a buffer the transport reuses.
      return unknownPacket(bytes.slice());
    }
    return checkedPacket(value);
  },
};
