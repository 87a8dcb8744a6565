import { RPCErrorCode } from "./enums.js";

/** Stable machine-readable codes, one per error class. */
export type WebSocketErrorCode =
  | "WEBSOCKET_ERROR"
  | "CONNECTION_ERROR"
  | "CONNECTION_CLOSED"
  | "CONNECTION_FAILED"
  | "INVALID_URI"
  | "MESSAGE_ERROR"
  | "PACKET_ERROR"
  | "PACKET_VALIDATION_ERROR"
  | "STREAM_OVERFLOW"
  | "RPC_ERROR"
  | "RPC_METHOD_NOT_FOUND"
  | "RATE_LIMIT_EXCEEDED"
  | "TIMEOUT"
  | "RPC_TIMEOUT"
  | "RECEIVE_TIMEOUT";

/** Options every webshocket error takes. */
export interface WebSocketErrorOptions {
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * Base class of every error webshocket throws. `code` is stable across versions.
 *
 * `name` is the class name, written as a literal in each class (`errorName`): a minifier
 * renames classes, so `new.target.name` would read `kn` in a minified bundle. A subclass
 * declared elsewhere without its own `errorName` is named after its constructor.
 */
export class WebSocketError extends Error {
  /** This class's `name`, as a literal (survives minification). */
  static readonly errorName: string = "WebSocketError";
  readonly code: WebSocketErrorCode = "WEBSOCKET_ERROR";
  declare readonly cause: unknown;

  constructor(message: string, options?: WebSocketErrorOptions) {
    super(message, options);
    this.name = Object.hasOwn(new.target, "errorName") ? new.target.errorName : new.target.name;
  }
}

/** Base class for connection errors. */
export class ConnectionError extends WebSocketError {
  static override readonly errorName: string = "ConnectionError";
  override readonly code: WebSocketErrorCode = "CONNECTION_ERROR";
}
/** An operation needed an open connection, and it was closed (or closed while waiting). */
export class ConnectionClosedError extends ConnectionError {
  static override readonly errorName: string = "ConnectionClosedError";
  override readonly code: WebSocketErrorCode = "CONNECTION_CLOSED";
  /** The WebSocket close code, when one was received. */
  declare readonly closeCode: number | undefined;
  /** The WebSocket close reason, when one was received. */
  declare readonly reason: string | undefined;
  constructor(message: string, options?: WebSocketErrorOptions & { closeCode?: number; reason?: string }) {
    super(message, options);
    this.closeCode = options?.closeCode;
    this.reason = options?.reason;
  }
}
/** Every connection attempt failed. */
export class ConnectionFailedError extends ConnectionError {
  static override readonly errorName: string = "ConnectionFailedError";
  override readonly code: WebSocketErrorCode = "CONNECTION_FAILED";
}
/** The URI is not a ws:// or wss:// URI. */
export class InvalidURIError extends ConnectionError {
  static override readonly errorName: string = "InvalidURIError";
  override readonly code: WebSocketErrorCode = "INVALID_URI";
}

/** Base class for message errors. */
export class MessageError extends WebSocketError {
  static override readonly errorName: string = "MessageError";
  override readonly code: WebSocketErrorCode = "MESSAGE_ERROR";
}
/** A packet is malformed or may not be sent this way. */
export class PacketError extends MessageError {
  static override readonly errorName: string = "PacketError";
  override readonly code: WebSocketErrorCode = "PACKET_ERROR";
}
/** Packet data failed schema validation. */
export class PacketValidationError extends PacketError {
  static override readonly errorName: string = "PacketValidationError";
  override readonly code: WebSocketErrorCode = "PACKET_VALIDATION_ERROR";
}
/**
 * A stream sent more chunks than the client's window holds while they were unread: a server
 * that ignores `$credit` (an old or hostile one). The client ends and cancels the stream.
 */
export class StreamOverflowError extends MessageError {
  static override readonly errorName: string = "StreamOverflowError";
  override readonly code: WebSocketErrorCode = "STREAM_OVERFLOW";
}

/** Options of an RPC error. */
export interface RPCErrorOptions extends WebSocketErrorOptions {
  /** The RPC error code on the wire. Default: APPLICATION_ERROR. */
  rpcCode?: RPCErrorCode;
}

/**
 * An RPC failed. Thrown by an RPC method on the server, it reaches the caller as
 * APPLICATION_ERROR with its message; on the client it carries the wire code.
 */
export class RPCError extends WebSocketError {
  static override readonly errorName: string = "RPCError";
  override readonly code: WebSocketErrorCode = "RPC_ERROR";
  /** The RPC error code on the wire. */
  declare readonly rpcCode: RPCErrorCode;
  constructor(message: string, options?: RPCErrorOptions) {
    super(message, options);
    this.rpcCode = options?.rpcCode ?? RPCErrorCode.APPLICATION_ERROR;
  }
}
/** The server has no RPC method of that name. */
export class RPCMethodNotFoundError extends RPCError {
  static override readonly errorName: string = "RPCMethodNotFoundError";
  override readonly code: WebSocketErrorCode = "RPC_METHOD_NOT_FOUND";
  constructor(message: string, options?: WebSocketErrorOptions) {
    super(message, { ...options, rpcCode: RPCErrorCode.METHOD_NOT_FOUND });
  }
}
/** The caller exceeded a method's rate limit. */
export class RateLimitError extends RPCError {
  static override readonly errorName: string = "RateLimitError";
  override readonly code: WebSocketErrorCode = "RATE_LIMIT_EXCEEDED";
  constructor(message: string, options?: WebSocketErrorOptions) {
    super(message, { ...options, rpcCode: RPCErrorCode.RATE_LIMIT_EXCEEDED });
  }
}

/** Base class for timeouts. */
export class TimeoutError extends WebSocketError {
  static override readonly errorName: string = "TimeoutError";
  override readonly code: WebSocketErrorCode = "TIMEOUT";
}
/** No RPC response came within the timeout. */
export class RPCTimeoutError extends TimeoutError {
  static override readonly errorName: string = "RPCTimeoutError";
  override readonly code: WebSocketErrorCode = "RPC_TIMEOUT";
}
/** No message came within the receive timeout. */
export class ReceiveTimeoutError extends TimeoutError {
  static override readonly errorName: string = "ReceiveTimeoutError";
  override readonly code: WebSocketErrorCode = "RECEIVE_TIMEOUT";
}
