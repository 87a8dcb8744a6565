import type { Packet } from "../packet.js";
import { orderedPacket } from "./codec.js";
import { stringify } from "./jsonText.js";

/** `{"source":n,"data":` for the sources 0..15. */
const HEAD = Array.from({ length: 16 }, (_, source) => `{"source":${source},"data":`);
/** `"is_stream":b,"is_end":b},"channel":`, indexed by is_stream * 2 + is_end. */
export const FLAGS = [
  `"is_stream":false,"is_end":false},"channel":`,
  `"is_stream":false,"is_end":true},"channel":`,
  `"is_stream":true,"is_end":false},"channel":`,
  `"is_stream":true,"is_end":true},"channel":`,
];

/** 2^53: beyond it a number needs stringify's replacer. */
const EXACT = 2 ** 53;

/** stringify() for a value, with the primitives envelopes carry most written directly. */
export function text(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number") return Number.isFinite(value) && Math.abs(value) <= EXACT ? String(value) : stringify(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return stringify(value);
}

let lastTimestamp: number | null = null;
let lastTimestampText = "null";

/** Timestamps repeat within a millisecond: keep the last one's text (number → text is not cheap). */
export function timestampText(ts: number | null): string {
  if (ts !== lastTimestamp) {
    lastTimestamp = ts;
    lastTimestampText = text(ts);
  }
  return lastTimestampText;
}

/**
 * A packet as JSON text, fields in declaration order (`type` first inside `rpc`):
 * the same text as `stringify(orderedPacket(packet))`, built from pieces so that a
 * result mirrored in `data` is written once.
 */
export function stringifyPacket(packet: Packet): string {
  // A request with the optional traceparent is written by the general path (the pieces below have no room for it).
  if ((packet.rpc as { traceparent?: unknown } | null)?.traceparent !== undefined) return stringify(orderedPacket(packet));
  const source = packet.source;
  let out = typeof source === "number" && source >>> 0 === source && source < 16 ? (HEAD[source] as string) : `{"source":${text(source)},"data":`;
  const data = packet.data ?? null;
  const dataText = text(data);
  out += dataText;
  const rpc = packet.rpc;
  if (rpc === null || rpc === undefined) {
    out += `,"rpc":null,"channel":`;
  } else if (rpc.type === "request") {
    out += `,"rpc":{"type":"request","method":${text(rpc.method)},"args":${text(rpc.args ?? [])},"kwargs":${text(rpc.kwargs ?? {})},"call_id":${text(rpc.call_id)}},"channel":`;
  } else {
    const response = rpc.response ?? null;
    out += `,"rpc":{"type":"response","call_id":${text(rpc.call_id)},"response":${response === data ? dataText : text(response)},"error":${text(rpc.error ?? null)},`;
    const isStream = rpc.is_stream ?? false;
    const isEnd = rpc.is_end ?? false;
    out += typeof isStream === "boolean" && typeof isEnd === "boolean"
      ? FLAGS[(isStream ? 2 : 0) + (isEnd ? 1 : 0)]
      : `"is_stream":${text(isStream)},"is_end":${text(isEnd)}},"channel":`;
  }
  const position = packet.position;
  const end = position === undefined ? "}" : `,"position":[${text(position[0])},${text(position[1])}]}`;
  return `${out}${text(packet.channel ?? null)},"timestamp":${timestampText(packet.timestamp ?? null)},"correlation_id":${text(packet.correlation_id ?? null)}${end}`;
}
