import { describe, expect, it } from "vitest";
import { RPCErrorCode } from "./enums.js";
import {
  ConnectionClosedError,
  ConnectionError,
  ConnectionFailedError,
  InvalidURIError,
  MessageError,
  PacketError,
  PacketValidationError,
  RateLimitError,
  ReceiveTimeoutError,
  RPCError,
  RPCMethodNotFoundError,
  RPCTimeoutError,
  StreamOverflowError,
  TimeoutError,
  WebSocketError,
  type WebSocketErrorCode,
} from "./errors.js";

type ErrorClass = new (message: string, options?: { cause?: unknown }) => WebSocketError;

/** Each class, its parent (as in the Python API reference) and its stable code. */
const TABLE: ReadonlyArray<[ErrorClass, ErrorClass | typeof Error, WebSocketErrorCode]> = [
  [WebSocketError, Error, "WEBSOCKET_ERROR"],
  [ConnectionError, WebSocketError, "CONNECTION_ERROR"],
  [ConnectionClosedError, ConnectionError, "CONNECTION_CLOSED"],
  [ConnectionFailedError, ConnectionError, "CONNECTION_FAILED"],
  [InvalidURIError, ConnectionError, "INVALID_URI"],
  [MessageError, WebSocketError, "MESSAGE_ERROR"],
  [PacketError, MessageError, "PACKET_ERROR"],
  [PacketValidationError, PacketError, "PACKET_VALIDATION_ERROR"],
  [StreamOverflowError, MessageError, "STREAM_OVERFLOW"],
  [RPCError, WebSocketError, "RPC_ERROR"],
  [RPCMethodNotFoundError, RPCError, "RPC_METHOD_NOT_FOUND"],
  [RateLimitError, RPCError, "RATE_LIMIT_EXCEEDED"],
  [TimeoutError, WebSocketError, "TIMEOUT"],
  [RPCTimeoutError, TimeoutError, "RPC_TIMEOUT"],
  [ReceiveTimeoutError, TimeoutError, "RECEIVE_TIMEOUT"],
];

describe("error classes", () => {
  it.each(TABLE)("%o extends its Python parent", (Cls, Parent) => {
    expect(Object.getPrototypeOf(Cls)).toBe(Parent);
    const err = new Cls("boom");
    expect(err).toBeInstanceOf(Parent);
    expect(err).toBeInstanceOf(WebSocketError);
    expect(err).toBeInstanceOf(Error);
  });

  it.each(TABLE)("%o has a stable code, its own name, the message and the cause", (Cls, _parent, code) => {
    const cause = new Error("root");
    const err = new Cls("boom", { cause });
    expect(err.code).toBe(code);
    expect(err.name).toBe(Cls.name);
    expect(err.message).toBe("boom");
    expect(err.cause).toBe(cause);
    expect(String(err)).toBe(`${Cls.name}: boom`);
    expect(err.stack).toContain("boom");
    expect(new Cls("no cause")).not.toHaveProperty("cause");
  });

  it("codes are unique", () => {
    expect(new Set(TABLE.map(([, , code]) => code)).size).toBe(TABLE.length);
  });

  it("branches of the tree stay apart", () => {
    expect(new RPCTimeoutError("t")).not.toBeInstanceOf(ConnectionError);
    expect(new RateLimitError("r")).not.toBeInstanceOf(TimeoutError);
  });

  it("ConnectionClosedError keeps close code and reason", () => {
    const err = new ConnectionClosedError("closed", { closeCode: 1013, reason: "Server full" });
    expect(err.closeCode).toBe(1013);
    expect(err.reason).toBe("Server full");
    expect(new ConnectionClosedError("closed").closeCode).toBeUndefined();
  });

  it("RPC errors carry their wire code", () => {
    expect(new RPCError("x").rpcCode).toBe(RPCErrorCode.APPLICATION_ERROR);
    expect(new RPCError("x", { rpcCode: RPCErrorCode.ACCESS_DENIED }).rpcCode).toBe(RPCErrorCode.ACCESS_DENIED);
    expect(new RPCMethodNotFoundError("x").rpcCode).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    expect(new RateLimitError("x").rpcCode).toBe(RPCErrorCode.RATE_LIMIT_EXCEEDED);
  });
});
