import { Packr, type Options } from "msgpackr";
import type { Packet } from "../packet.js";
import { toPacket, unknownPacket, type DecodeResult } from "../validate.js";
import { orderedPacket, toBytes, type Codec, type RawMessage } from "./codec.js";
import { scanMsgpack } from "./msgpackScan.js";
import { hasSurrogateBytes, wellFormedCopy } from "./wellFormed.js";

/**
 * Standard msgpack only: no records/structures extension, maps as plain objects,
 * `undefined` as nil, bin as bytes, integers as numbers up to ±2^53 and bigints
 * beyond. Encoding: numbers in the int32/uint32 range take the smallest int
 * format, every other number is a float64; a bigint is always a 64-bit int
 * (int64, or uint64 above 2^63-1) and throws RangeError outside [-2^63, 2^64).
 */
const OPTIONS: Options = {
  useRecords: false,
  mapsAsObjects: true,
  encodeUndefinedAsNil: true,
  // msgpackr supports "auto" (number when safe, bigint beyond 2^53); its typings lag behind.
  int64AsType: "auto" as Options["int64AsType"],
  variableMapSize: true,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
};

const packr = new Packr(OPTIONS);
/** Decodes maps as Map objects: used only when a key would be renamed as plain object. */
const mapUnpackr = new Packr({ ...OPTIONS, mapsAsObjects: false });

/** Maps → plain objects; a `__proto__` key becomes an own data property, never a prototype. */
function mapsToObjects(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      Object.defineProperty(out, String(k), { value: mapsToObjects(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (Array.isArray(value)) return value.map(mapsToObjects);
  return value;
}

/**
 * Decodes one msgpack value. The bytes are first checked by `scanMsgpack`
 * (complete, standard types only, nesting at most MAX_DEPTH), so msgpackr never
 * sees hostile nesting or its own non-standard extensions.
 */
function unpack(bytes: Uint8Array): unknown {
  const proto = scanMsgpack(bytes);
  // msgpackr renames a "__proto__" key; decode such input through Maps so it survives as data.
  return proto ? mapsToObjects(mapUnpackr.unpack(bytes)) : packr.unpack(bytes);
}

/** Encodes one value; a lone surrogate (which msgpackr would write as invalid UTF-8) becomes U+FFFD. */
function pack(value: unknown): Uint8Array {
  const bytes = packr.pack(value);
  return hasSurrogateBytes(bytes) ? packr.pack(wellFormedCopy(value)) : bytes;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The msgpack codec, spoken by framework clients (subprotocol `webshocket.v1`). */
export const msgpackCodec: Codec = {
  name: "msgpack",
  encode(packet: Packet): Uint8Array {
    return pack(orderedPacket(packet));
  },
  encodeValue(value: unknown): Uint8Array {
    return pack(value);
  },
  decodeValue(raw: RawMessage): unknown {
    return unpack(typeof raw === "string" ? new TextEncoder().encode(raw) : toBytes(raw));
  },
  decodeDetailed(raw: RawMessage): DecodeResult {
    if (typeof raw === "string") return { packet: unknownPacket(raw), error: "msgpack expects binary data, got text" };
    const bytes = toBytes(raw);
    let value: unknown;
    try {
      value = unpack(bytes);
    } catch (err) {
      return { packet: unknownPacket(bytes), error: `malformed msgpack: ${describe(err)}` };
    }
    return toPacket(value);
  },
  decode(raw: RawMessage): Packet {
    // Not `this`: decode must keep its promise (never throw) when called unbound.
    return msgpackCodec.decodeDetailed(raw).packet;
  },
};
