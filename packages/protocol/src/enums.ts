/** Where a packet comes from. Values are part of the wire format. */
export enum PacketSource {
  BROADCAST = 1,
  CHANNEL = 2,
  UNKNOWN = 3,
  CUSTOM = 4,
  RPC = 5,
}

/** RPC error codes, inspired by JSON-RPC 2.0. Values are part of the wire format. */
export enum RPCErrorCode {
  METHOD_NOT_FOUND = -32601,
  INVALID_PARAMS = -32602,
  INTERNAL_SERVER_ERROR = -32603,
  RATE_LIMIT_EXCEEDED = -32000,
  APPLICATION_ERROR = -32001,
  ACCESS_DENIED = -32002,
}

/** Life cycle of one connection, as seen by either end. */
export enum ConnectionState {
  DISCONNECTED = 1,
  CONNECTING = 2,
  CONNECTED = 3,
  CLOSED = 4,
}

/** Life cycle of a server. */
export enum ServerState {
  IDLE = "idle",
  LISTENING = "listening",
  CLOSING = "closing",
  CLOSED = "closed",
}

/** How a client talks: framework clients speak msgpack, generic clients speak JSON. */
export enum ClientType {
  FRAMEWORK = "Framework",
  GENERIC = "Generic",
}

/** WebSocket close codes used by webshocket (RFC 6455 §7.4.1). */
export const CloseCode = {
  /** Normal closure. */
  NORMAL: 1000,
  /** The server is going away (shutdown). */
  GOING_AWAY: 1001,
  /** Protocol error. */
  PROTOCOL_ERROR: 1002,
  /** Policy violation (e.g. a slow consumer past its limit). */
  POLICY_VIOLATION: 1008,
  /** The message was bigger than the server accepts. */
  MESSAGE_TOO_BIG: 1009,
  /** Unexpected server error. */
  INTERNAL_ERROR: 1011,
  /** Try again later: server full, or a rate limit with disconnect. */
  TRY_AGAIN_LATER: 1013,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The WebSocket subprotocol a framework (msgpack) client offers. */
export const SUBPROTOCOL = "webshocket.v1";
