import type { Packet, RPCRequest } from "../packet.js";
import { toPacket, unknownPacket, type DecodeResult } from "../validate.js";
import { toBytes, type Codec, type RawMessage } from "./codec.js";
import { NOT_FAST, parseJsonBytes } from "./jsonBytes.js";
import { stringifyPacket } from "./jsonPacket.js";
import { decodeJsonPacket } from "./jsonPacketBytes.js";
import { decodeJsonRequest } from "./jsonRequest.js";
import { encodeJsonResponse } from "./jsonResponse.js";
import { parse, stringify } from "./jsonText.js";
import { encodeUtf8 } from "./utf8.js";

export { parse, stringify } from "./jsonText.js";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function toText(raw: RawMessage): string {
  return typeof raw === "string" ? raw : decoder.decode(toBytes(raw));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The JSON codec, spoken by generic clients (any language's WebSocket + JSON). */
export const jsonCodec: Codec & { stringify(packet: Packet): string } = {
  name: "json",
  stringify(packet: Packet): string {
    return stringifyPacket(packet);
  },
  encode(packet: Packet): Uint8Array {
    return encodeUtf8(stringifyPacket(packet));
  },
  encodeValue(value: unknown): Uint8Array {
    return encodeUtf8(stringify(value));
  },
  encodeResponse: encodeJsonResponse,
  decodeValue(raw: RawMessage): unknown {
    return parse(toText(raw));
  },
  decodeDetailed(raw: RawMessage): DecodeResult {
    if (typeof raw !== "string") {
      // Bytes straight to a packet, or to values, when they hold plain JSON (the usual case); see jsonBytes.ts.
      const bytes = toBytes(raw);
      const packet = decodeJsonPacket(bytes);
      if (packet !== undefined) return { packet, error: undefined };
      const fast = parseJsonBytes(bytes);
      if (fast !== NOT_FAST) return toPacket(fast);
    }
    let text: string;
    try {
      text = toText(raw);
    } catch (err) {
      // Bytes are copied: the input may be a buffer the transport reuses once the callback returns.
      return { packet: unknownPacket(typeof raw === "string" ? raw : toBytes(raw).slice()), error: `invalid UTF-8: ${describe(err)}` };
    }
    let value: unknown;
    try {
      value = parse(text);
    } catch (err) {
      return { packet: unknownPacket(text), error: `malformed JSON: ${describe(err)}` };
    }
    return toPacket(value);
  },
  decodeRequest(raw: RawMessage): RPCRequest | undefined {
    return typeof raw === "string" ? undefined : decodeJsonRequest(toBytes(raw));
  },
  decode(raw: RawMessage): Packet {
    // Not `this`: decode must keep its promise (never throw) when called unbound.
    return jsonCodec.decodeDetailed(raw).packet;
  },
};
