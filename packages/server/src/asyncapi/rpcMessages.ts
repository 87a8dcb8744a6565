import { PacketSource, RPCErrorCode } from "@webshocket/protocol";
import type { RpcEntry } from "../rpc/registry.js";
import { getRpcMethodOptions } from "../rpc/rpcMethod.js";

/** A JSON Schema (draft-07, as AsyncAPI 3.0's default schema format reads it). */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * A typebox schema (or any schema object) as plain JSON: typebox's symbol-keyed markers and anything that
 * is not JSON are dropped; `{}` (anything) when the value is not an object.
 */
export function plainSchema(schema: unknown): JsonSchema {
  if (typeof schema !== "object" || schema === null) return {};
  try {
    return JSON.parse(JSON.stringify(schema)) as JsonSchema;
  } catch {
    return {};
  }
}

/** One parameter of a method as the document shows it. */
interface ParamSchema {
  readonly name: string | undefined;
  readonly schema: JsonSchema;
  readonly rest: boolean;
}

function paramSchemas(entry: RpcEntry): ParamSchema[] {
  const declared = getRpcMethodOptions(entry.fn)?.params;
  const byName = declared !== undefined && !Array.isArray(declared) ? (declared as Record<string, unknown>) : undefined;
  const byPosition = Array.isArray(declared) ? (declared as readonly unknown[]) : undefined;
  return entry.params.map((p, i) => ({
    name: p.name,
    rest: p.rest,
    schema: plainSchema(byPosition !== undefined ? byPosition[i] : p.name !== undefined ? byName?.[p.name] : undefined),
  }));
}

/** The result schema a method declares (`@rpcMethod({ returns })`, where supported), else `{}`. */
export function resultSchema(entry: RpcEntry): JsonSchema {
  const options = getRpcMethodOptions(entry.fn) as { returns?: unknown } | undefined;
  return plainSchema(options?.returns);
}

/** The envelope fields every packet may carry besides `source` and `rpc` (PROTOCOL.md §2). */
const ENVELOPE = {
  data: {},
  channel: { type: ["string", "null"] },
  timestamp: { type: ["number", "null"] },
  correlation_id: { type: ["string", "null"] },
} as const;

/** The payload of a packet calling `entry`: the packet, with `rpc.args`/`rpc.kwargs` typed by its parameters. */
export function requestPayload(entry: RpcEntry): JsonSchema {
  const params = paramSchemas(entry);
  const fixed = params.filter((p) => !p.rest);
  const rest = params.find((p) => p.rest);
  const kwargs: Record<string, JsonSchema> = {};
  for (const p of fixed) if (p.name !== undefined) kwargs[p.name] = p.schema;
  // Draft-07 tuples: `items` as a list (which may not be empty), `additionalItems` for a rest parameter.
  const args: Record<string, unknown> = { type: "array", minItems: entry.minArgs };
  if (fixed.length > 0) args.items = fixed.map((p) => p.schema);
  if (rest === undefined) args.maxItems = entry.maxArgs;
  else if (fixed.length > 0) args.additionalItems = rest.schema;
  else args.items = rest.schema;
  return {
    type: "object",
    required: ["source", "rpc"],
    properties: {
      source: { const: PacketSource.RPC },
      rpc: {
        type: "object",
        required: ["type", "method"],
        properties: {
          type: { const: "request" },
          method: { const: entry.name },
          args: { ...args, description: "Positional arguments, in the order of the method's parameters." },
          kwargs: { type: "object", properties: kwargs, description: "Arguments by parameter name." },
          call_id: { type: "string", description: "Echoed in every answer to this call; assigned by the server when absent." },
        },
      },
      ...ENVELOPE,
    },
  };
}

/** The payload of a successful answer to `entry` (one per yielded value for a streaming method). */
export function resultPayload(entry: RpcEntry): JsonSchema {
  return {
    type: "object",
    required: ["source", "rpc"],
    properties: {
      source: { const: PacketSource.RPC },
      rpc: {
        type: "object",
        required: ["type", "call_id", "response"],
        properties: {
          type: { const: "response" },
          call_id: { type: "string" },
          response: { ...resultSchema(entry), description: entry.streaming ? "One yielded value (null on the closing message)." : "The method's result." },
          error: { type: "null" },
          is_stream: { const: entry.streaming },
          is_end: { type: "boolean", description: entry.streaming ? "True on the last message of the stream." : "Always false." },
        },
      },
      ...ENVELOPE,
    },
  };
}

/** The payload of a refused or failed call, the same for every method. */
export function errorPayload(): JsonSchema {
  const codes = Object.values(RPCErrorCode).filter((v): v is number => typeof v === "number");
  return {
    type: "object",
    required: ["source", "rpc"],
    properties: {
      source: { const: PacketSource.RPC },
      rpc: {
        type: "object",
        required: ["type", "call_id", "error"],
        properties: {
          type: { const: "response" },
          call_id: { type: "string" },
          response: { type: "string", description: "The error message." },
          error: { type: "integer", enum: codes, description: "An RPCErrorCode (PROTOCOL.md §3)." },
          is_stream: { type: "boolean" },
          is_end: { type: "boolean" },
        },
      },
      ...ENVELOPE,
    },
  };
}

/** The payload of a packet published to a channel: `data` typed by the channel's declared schema. */
export function publicationPayload(channel: string, data: JsonSchema): JsonSchema {
  return {
    type: "object",
    required: ["source", "data", "channel"],
    properties: { source: { const: PacketSource.CHANNEL }, data, channel: channel.includes("*") || channel.includes("?") || channel.includes("[") ? { type: "string" } : { const: channel } },
  };
}

/** The payload of a broadcast packet. */
export function broadcastPayload(data: JsonSchema): JsonSchema {
  return { type: "object", required: ["source", "data"], properties: { source: { const: PacketSource.BROADCAST }, data } };
}
