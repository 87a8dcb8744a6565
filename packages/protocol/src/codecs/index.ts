import { ClientType } from "../enums.js";
import type { Codec } from "./codec.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";

export type { Codec, RawMessage } from "./codec.js";
export { orderedPacket } from "./codec.js";
export { jsonCodec, parse as parseJson, stringify as stringifyJson } from "./json.js";
export { msgpackCodec } from "./msgpack.js";

/** The codec a client type speaks: msgpack for framework clients, JSON for generic ones. */
export function codecFor(clientType: ClientType): Codec {
  return clientType === ClientType.FRAMEWORK ? msgpackCodec : jsonCodec;
}
