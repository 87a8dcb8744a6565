import { Type } from "@sinclair/typebox";
import { PacketSource, RPCErrorCode } from "./enums.js";

// The packet schemas: the single source of truth of the wire format. The server validates with
// them (compiled by TypeBox); schema/*.json and the client's checks (packetGuard.ts) are generated
// from them. In a file of their own so that importing packet helpers does not build the schemas.

/**
 * What a client may send as an RPC request. `args`, `kwargs` and `call_id` may be
 * left out: they default to `[]`, `{}` and a server-assigned id.
 */
export const RPCRequestSchema = Type.Object(
  {
    type: Type.Literal("request", { description: 'Always "request"; written first.' }),
    method: Type.String({ description: "Name (or alias) of the RPC method." }),
    args: Type.Optional(Type.Array(Type.Unknown(), { default: [], description: "Positional arguments." })),
    kwargs: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { default: {}, description: "Arguments by parameter name." }),
    ),
    call_id: Type.Optional(
      Type.String({ description: "Id echoed in every response to this call. Assigned by the server when absent." }),
    ),
    traceparent: Type.Optional(
      Type.String({ maxLength: 256, description: "Optional W3C trace context of the caller (`00-<trace id>-<span id>-<flags>`); servers that trace make it the parent of the call's span." }),
    ),
  },
  { $id: "RPCRequest", title: "RPCRequest" },
);

/** An RPC response (or one chunk of a streaming response). */
export const RPCResponseSchema = Type.Object(
  {
    type: Type.Literal("response", { description: 'Always "response"; written first.' }),
    call_id: Type.String({ description: "The call_id of the request this answers." }),
    response: Type.Optional(
      Type.Unknown({ default: null, description: "The result, a stream chunk, or the error message (a string) when `error` is set." }),
    ),
    error: Type.Optional(
      Type.Union([Type.Enum(RPCErrorCode), Type.Null()], { default: null, description: "An RPCErrorCode, or null on success." }),
    ),
    is_stream: Type.Optional(Type.Boolean({ default: false, description: "True on every message of a streaming call." })),
    is_end: Type.Optional(Type.Boolean({ default: false, description: "True on the last message of a streaming call." })),
  },
  { $id: "RPCResponse", title: "RPCResponse" },
);

/** The envelope of every message, in both directions. Unknown fields are ignored. */
export const PacketSchema = Type.Object(
  {
    source: Type.Enum(PacketSource, { description: "A PacketSource: 1 broadcast, 2 channel, 3 unknown, 4 custom, 5 RPC." }),
    data: Type.Optional(Type.Unknown({ default: null, description: "The payload; null on RPC responses (the result is in rpc.response)." })),
    rpc: Type.Optional(
      Type.Union([RPCRequestSchema, RPCResponseSchema, Type.Null()], { default: null, description: "The RPC part, on source 5." }),
    ),
    channel: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { default: null, description: "The channel a source-2 packet was published to." }),
    ),
    timestamp: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], { default: null, description: "When the packet was made: seconds since the Unix epoch." }),
    ),
    correlation_id: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { default: null, description: "An id applications may use to relate packets." }),
    ),
    position: Type.Optional(
      Type.Tuple([Type.String(), Type.Integer({ minimum: 0 })], {
        description: "On a channel message (source 2) to a client that opted in with `?positions`: [epoch, offset] of the publication in the channel's history (PROTOCOL.md § 12). Absent otherwise.",
      }),
    ),
  },
  { $id: "Packet", title: "Packet" },
);
