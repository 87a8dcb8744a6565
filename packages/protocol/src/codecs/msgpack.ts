import type { Packet, RPCRequest } from "../packet.js";
import { toPacket, unknownPacket, type DecodeResult } from "../validate.js";
import { toBytes, type Codec, type RawMessage } from "./codec.js";
import { encodeMsgpackPacket, encodeMsgpackResponse, encodeMsgpackValue } from "./msgpackEncode.js";
import { decodeMsgpack } from "./msgpackDecode.js";
import { decodeUsualPacket } from "./msgpackPacket.js";
import { decodePlainRequest } from "./msgpackRequest.js";

/**
 * Decodes one msgpack value in a single validating pass (complete, standard
 * types only, nesting at most MAX_DEPTH, a "__proto__" key kept as data): see
 * decodeMsgpack.
 */
function unpack(bytes: Uint8Array): unknown {
  return decodeMsgpack(bytes);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The msgpack codec, spoken by framework clients (subprotocol `webshocket.v1`). */
export const msgpackCodec: Codec = {
  name: "msgpack",
  encode(packet: Packet): Uint8Array {
    return encodeMsgpackPacket(packet);
  },
  encodeValue(value: unknown): Uint8Array {
    return encodeMsgpackValue(value);
  },
  encodeResponse: encodeMsgpackResponse,
  decodeValue(raw: RawMessage): unknown {
    return unpack(typeof raw === "string" ? new TextEncoder().encode(raw) : toBytes(raw));
  },
  decodeDetailed(raw: RawMessage): DecodeResult {
    if (typeof raw === "string") return { packet: unknownPacket(raw), error: "msgpack expects binary data, got text" };
    const bytes = toBytes(raw);
    const usual = decodeUsualPacket(bytes);
    if (usual !== undefined) return { packet: usual, error: undefined };
    let value: unknown;
    try {
      value = unpack(bytes);
    } catch (err) {
      // A copy: the input may be a buffer the transport reuses (uWebSockets.js) once the callback returns.
      return { packet: unknownPacket(bytes.slice()), error: `malformed msgpack: ${describe(err)}` };
    }
    return toPacket(value);
  },
  decodeRequest(raw: RawMessage): RPCRequest | undefined {
    return typeof raw === "string" ? undefined : decodePlainRequest(toBytes(raw));
  },
  decode(raw: RawMessage): Packet {
    // Not `this`: decode must keep its promise (never throw) when called unbound.
    return msgpackCodec.decodeDetailed(raw).packet;
  },
};
