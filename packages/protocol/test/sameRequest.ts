import type { RPCRequest } from "../src/packet.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * `fast`, with its call id replaced by `general`'s when both are ids the decoders made up (a
 * request without `call_id` gets a fresh UUID v4 on each path); for `toEqual(general)`.
 */
export function sameRequest(fast: RPCRequest, general: unknown): RPCRequest {
  const id = (general as { call_id?: unknown } | null)?.call_id;
  if (typeof id === "string" && fast.call_id !== id && UUID_V4.test(id) && UUID_V4.test(fast.call_id)) return { ...fast, call_id: id };
  return fast;
}
