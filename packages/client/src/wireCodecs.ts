import type { WireCodec } from "@webshocket/protocol";

/** The wire formats a build of the client speaks. JSON always; msgpack unless the build is JSON-only. */
export interface WireCodecs {
  /** The JSON format (`format: "json"`). */
  json: WireCodec;
  /** The msgpack format (`format: "msgpack"`); absent in the JSON-only build. */
  msgpack?: WireCodec;
}
