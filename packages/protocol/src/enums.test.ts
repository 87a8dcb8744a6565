import { describe, expect, it } from "vitest";
import { ClientType, CloseCode, ConnectionState, PacketSource, RPCErrorCode, ServerState, SUBPROTOCOL } from "./enums.js";

/** Numeric enum → its name/value pairs (TypeScript adds reverse mappings we skip). */
function entries(e: Record<string, string | number>): Record<string, number> {
  return Object.fromEntries(Object.entries(e).filter((kv): kv is [string, number] => typeof kv[1] === "number"));
}

describe("wire enums", () => {
  it("PacketSource is 1..5 as in the Python library", () => {
    expect(entries(PacketSource)).toEqual({ BROADCAST: 1, CHANNEL: 2, UNKNOWN: 3, CUSTOM: 4, RPC: 5 });
  });

  it("RPCErrorCode values follow JSON-RPC 2.0 and the Python library", () => {
    expect(entries(RPCErrorCode)).toEqual({
      METHOD_NOT_FOUND: -32601,
      INVALID_PARAMS: -32602,
      INTERNAL_SERVER_ERROR: -32603,
      RATE_LIMIT_EXCEEDED: -32000,
      APPLICATION_ERROR: -32001,
      ACCESS_DENIED: -32002,
    });
  });

  it("ConnectionState is 1..4", () => {
    expect(entries(ConnectionState)).toEqual({ DISCONNECTED: 1, CONNECTING: 2, CONNECTED: 3, CLOSED: 4 });
  });

  it("string enums keep the Python spellings", () => {
    expect({ ...ClientType }).toEqual({ FRAMEWORK: "Framework", GENERIC: "Generic" });
    expect({ ...ServerState }).toEqual({ IDLE: "idle", LISTENING: "listening", CLOSING: "closing", CLOSED: "closed" });
  });

  it("close codes are the RFC 6455 numbers", () => {
    expect(CloseCode).toEqual({
      NORMAL: 1000,
      GOING_AWAY: 1001,
      PROTOCOL_ERROR: 1002,
      POLICY_VIOLATION: 1008,
      MESSAGE_TOO_BIG: 1009,
      INTERNAL_ERROR: 1011,
      TRY_AGAIN_LATER: 1013,
    });
  });

  it("the framework subprotocol is webshocket.v1", () => {
    expect(SUBPROTOCOL).toBe("webshocket.v1");
  });
});
