import { isSerializablePredicate, predicateFromJSON } from "@webshocket/guards";
import { msgpackCodec } from "@webshocket/protocol";
import type { Delivery } from "@webshocket/server";

/** Version of the message format below; a node drops messages of another version. */
export const ENVELOPE_VERSION = 1;

/** A delivery as it travels through Redis, with who sent it and its place in that node's sequence. */
export interface Envelope {
  /** `nodeId` of the publishing broker. */
  readonly origin: string;
  /** Per-origin sequence number, increasing with every publish. */
  readonly seq: number;
  readonly delivery: Delivery;
}

/**
 * Encodes a delivery once, as msgpack:
 * `[version, origin, seq, kind (0 channel, 1 broadcast), channels, exclude uids, predicate JSON | null, data]`.
 * The predicate travels as its JSON form and is rebuilt on every receiving node.
 * @throws TypeError for a function predicate (it cannot leave this process), or what msgpack throws for unencodable data.
 */
export function encodeEnvelope(origin: string, seq: number, d: Delivery): Buffer {
  let predicate: unknown = null;
  if (d.predicate !== undefined) {
    if (!isSerializablePredicate(d.predicate)) {
      throw new TypeError("RedisBroker: a function predicate cannot travel to other server nodes; use a guards predicate (Is, Has, IsEqual, Any, All, Not).");
    }
    predicate = d.predicate.toJSON();
  }
  const kind = d.kind === "broadcast" ? 1 : 0;
  const bytes = msgpackCodec.encodeValue([ENVELOPE_VERSION, origin, seq, kind, d.channels, d.exclude, predicate, d.data]);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes and validates what {@link encodeEnvelope} wrote.
 * @throws TypeError (or msgpack's error) for anything else; `PredicateJSONError` for a bad predicate.
 */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const value = msgpackCodec.decodeValue(bytes);
  if (!Array.isArray(value) || value.length !== 8) throw new TypeError("not a webshocket envelope (expected an array of 8).");
  const [version, origin, seq, kind, channels, exclude, predicate, data] = value as unknown[];
  if (version !== ENVELOPE_VERSION) throw new TypeError(`envelope version ${String(version)}, expected ${ENVELOPE_VERSION}.`);
  if (typeof origin !== "string" || origin === "") throw new TypeError("envelope origin must be a non-empty string.");
  if (typeof seq !== "number" || !Number.isSafeInteger(seq)) throw new TypeError("envelope seq must be an integer.");
  if (kind !== 0 && kind !== 1) throw new TypeError("envelope kind must be 0 or 1.");
  if (!isStringArray(channels)) throw new TypeError("envelope channels must be an array of strings.");
  if (!isStringArray(exclude)) throw new TypeError("envelope exclude must be an array of strings.");
  const delivery: Delivery = {
    kind: kind === 1 ? "broadcast" : "channel",
    channels,
    data,
    exclude,
    predicate: predicate === null || predicate === undefined ? undefined : predicateFromJSON(predicate),
  };
  return { origin, seq, delivery };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
