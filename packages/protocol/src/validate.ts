import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Value } from "@sinclair/typebox/value";
import { fillPacket, unknownPacket } from "./fillPacket.js";
import { MAX_DEPTH } from "./maxDepth.js";
import type { Packet, PacketInput } from "./packet.js";
import { PacketSchema } from "./packetSchema.js";

export { unknownPacket } from "./fillPacket.js";
export { MAX_DEPTH } from "./maxDepth.js";

interface Checker<T> {
  check(value: unknown): value is T;
  firstError(value: unknown): string;
}

/**
 * Compiles a schema into a fast checker. Where code generation is forbidden
 * (a browser page with a strict Content-Security-Policy), it falls back to
 * TypeBox's interpreter: slower, same answers.
 */
export function compileChecker<T>(schema: TSchema): Checker<T> {
  const describe = (errors: Iterable<{ path: string; message: string }>): string => {
    for (const e of errors) return `${e.path || "/"}: ${e.message}`;
    return "invalid value";
  };
  try {
    const compiled = TypeCompiler.Compile(schema);
    return {
      check: (value): value is T => compiled.Check(value),
      firstError: (value) => describe(compiled.Errors(value)),
    };
  } catch {
    return {
      check: (value): value is T => Value.Check(schema, value),
      firstError: (value) => describe(Value.Errors(schema, value)),
    };
  }
}

const packetChecker = compileChecker<PacketInput>(PacketSchema);

/** The outcome of decoding: always a packet; `error` says why it is UNKNOWN. */
export interface DecodeResult {
  packet: Packet;
  /** Why the input is not a valid packet; undefined when it is one. */
  error: string | undefined;
}

/**
 * True when `value` nests arrays/objects deeper than `limit`. Iterative, so it
 * cannot itself overflow the stack.
 */
export function exceedsDepth(value: unknown, limit: number = MAX_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null || ArrayBuffer.isView(v)) continue;
    if (depth >= limit) return true;
    const children = Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : Object.values(v);
    for (const child of children) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Validates a decoded value against the Packet schema and fills defaults.
 * Never throws: input that is not a valid packet becomes an UNKNOWN packet
 * whose data is the value itself.
 */
export function toPacket(value: unknown): DecodeResult {
  if (!packetChecker.check(value)) {
    return { packet: unknownPacket(value), error: `not a valid packet: ${packetChecker.firstError(value)}` };
  }
  return { packet: fillPacket(value), error: undefined };
}
