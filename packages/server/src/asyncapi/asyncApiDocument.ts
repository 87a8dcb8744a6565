import { RPC_METHODS, type WebSocketHandler } from "../handler.js";
import { broadcastPayload, errorPayload, plainSchema, publicationPayload, requestPayload, resultPayload, type JsonSchema } from "./rpcMessages.js";

/** A pub/sub channel (or glob pattern) as the document shows it. */
export interface ChannelDescription {
  /** What is published there. Default: none. */
  readonly description?: string;
  /** JSON Schema (a typebox schema is one) of the published `data`. Default: `{}` (anything). */
  readonly payload?: unknown;
}

/** A server entry of the document. */
export interface AsyncApiServer {
  /** "host:port", e.g. "ws.example.com" or "localhost:5000". */
  readonly host: string;
  readonly protocol: "ws" | "wss";
  readonly description?: string;
}

/** What `asyncApiDocument` adds to the handler's own description. */
export interface AsyncApiInfo {
  /** Default: the handler's class name. */
  readonly title?: string;
  /** The API's version. Default: "1.0.0". */
  readonly version?: string;
  readonly description?: string;
  /** Where clients connect. Default: none. */
  readonly servers?: Readonly<Record<string, AsyncApiServer>>;
  /** The server's `path` option. Default: "/". */
  readonly path?: string;
  /**
   * Pub/sub channels by name (exact or glob), with their payload schemas. Default: none. Channels declared on
   * the handler itself are added by `declaredChannels` (the extension point for channel declarations).
   */
  readonly channels?: Readonly<Record<string, ChannelDescription>>;
  /** What `broadcast` sends. Default: not described. */
  readonly broadcast?: ChannelDescription;
}

/**
 * Channels the handler declares itself. Extension point: the handler has no channel declarations yet; when it
 * gets them, map each to a ChannelDescription here and they appear in every document without options.
 */
export function declaredChannels(_handler: object): Record<string, ChannelDescription> {
  return {};
}

/** Keys of channels, messages and operations: letters, digits, `_`, `-`, `.` (names elsewhere are kept as titles). */
function keyMaker(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    const base = name.replace(/[^A-Za-z0-9_.-]/g, "_") || "_";
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
    used.add(key);
    return key;
  };
}

const ref = ($ref: string): { $ref: string } => ({ $ref });

/**
 * An AsyncAPI 3.0.0 document describing a handler: one operation per RPC method (under its alias when it has
 * one) that receives a request message — `args`/`kwargs` typed by the method's typebox `params` schemas — and
 * replies with a result message (typed by a declared `returns` schema where the option exists, else anything)
 * or the shared error message; streaming methods carry `x-webshocket-streaming: true` and reply once per
 * yielded value. Pub/sub channels and broadcast appear where described. Messages are the protocol's packets
 * (PROTOCOL.md) as JSON; framework clients send the same structure as msgpack.
 */
export function asyncApiDocument<TState extends object>(handler: WebSocketHandler<TState>, info: AsyncApiInfo = {}): Record<string, unknown> {
  const key = keyMaker();
  const rpcMessages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const errorKey = key("rpc_error");
  rpcMessages[errorKey] = { name: "rpc_error", title: "RPC error", summary: "A refused or failed call (any method).", payload: errorPayload() };

  const methods = [...handler[RPC_METHODS]().values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of methods) {
    const op = key(entry.name);
    const request = key(`${entry.name}.request`);
    const result = key(`${entry.name}.result`);
    rpcMessages[request] = { name: `${entry.name}.request`, title: `${entry.name} call`, payload: requestPayload(entry) };
    rpcMessages[result] = { name: `${entry.name}.result`, title: entry.streaming ? `${entry.name} stream value` : `${entry.name} result`, payload: resultPayload(entry) };
    operations[op] = {
      action: "receive",
      title: entry.name,
      summary: entry.streaming ? `Streaming RPC "${entry.name}": one reply per yielded value, the last with is_end.` : `RPC "${entry.name}".`,
      channel: ref("#/channels/rpc"),
      messages: [ref(`#/channels/rpc/messages/${request}`)],
      reply: { channel: ref("#/channels/rpc"), messages: [ref(`#/channels/rpc/messages/${result}`), ref(`#/channels/rpc/messages/${errorKey}`)] },
      "x-webshocket-method": entry.name,
      "x-webshocket-streaming": entry.streaming,
    };
  }

  const channels: Record<string, unknown> = {
    rpc: {
      address: info.path ?? "/",
      title: "RPC",
      description: "Calls and their answers over the WebSocket (JSON for generic clients, msgpack with subprotocol webshocket.v1).",
      messages: rpcMessages,
    },
  };
  const pubsub = (channelKey: string, address: string, description: ChannelDescription, payload: JsonSchema, summary: string): void => {
    const message = key(`${channelKey}.message`);
    channels[channelKey] = { address, ...(description.description ? { description: description.description } : {}), messages: { [message]: { name: address, payload } } };
    operations[key(`${channelKey}.send`)] = { action: "send", summary, channel: ref(`#/channels/${channelKey}`), messages: [ref(`#/channels/${channelKey}/messages/${message}`)] };
  };
  const described = { ...declaredChannels(handler), ...info.channels };
  for (const [name, description] of Object.entries(described)) {
    pubsub(key(`channel.${name}`), name, description, publicationPayload(name, plainSchema(description.payload)), `Published to "${name}".`);
  }
  if (info.broadcast !== undefined) pubsub(key("broadcast"), "broadcast", info.broadcast, broadcastPayload(plainSchema(info.broadcast.payload)), "Broadcast to every client.");

  return {
    asyncapi: "3.0.0",
    info: {
      title: info.title ?? (handler.constructor.name || "webshocket"),
      version: info.version ?? "1.0.0",
      ...(info.description ? { description: info.description } : {}),
    },
    ...(info.servers ? { servers: info.servers } : {}),
    defaultContentType: "application/json",
    channels,
    operations,
  };
}
