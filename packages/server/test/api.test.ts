import { Type } from "@sinclair/typebox";
import { ClientType, RPCErrorCode, ServerState } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import { rpcMethod, WebSocketHandler, WebSocketServer, type ClientConnection } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

class ParamsHandler extends WebSocketHandler {
  @rpcMethod({ params: [Type.String(), Type.Optional(Type.Integer({ minimum: 1 }))] })
  repeat(_c: ClientConnection, text: string, times = 2): string {
    return text.repeat(times);
  }
}

describe("server API", () => {
  it("registerRpcMethod adds marked functions at run time, refusing unmarked ones", async () => {
    const handler = new TestHandler();
    handler.registerRpcMethod(rpcMethod()(function shout(_c: ClientConnection, text: string) {
      return text.toUpperCase();
    }));
    handler.registerRpcMethod(rpcMethod()((_c: ClientConnection) => "pong"), "ping");
    expect(() => handler.registerRpcMethod(() => 1)).toThrow(/not marked/);
    expect(() => handler.registerRpcMethod(rpcMethod()(() => 1), "$evil")).toThrow(/reserved/);
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("shout", ["hey"])).response).toBe("HEY");
    expect((await c.call("ping")).response).toBe("pong");
  });

  it("checks positional params schemas, optional ones included", async () => {
    await using server = await startServer({ handler: new ParamsHandler() });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("repeat", ["ab"])).response).toBe("abab");
    expect((await c.call("repeat", ["ab", 3])).response).toBe("ababab");
    const bad = await c.call("repeat", ["ab", 0]);
    expect(bad.error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(String(bad.response)).toMatch(/argument 'times'/);
  });

  it("serveForever resolves once closed; for-await hands out connections in manual mode", async () => {
    const server = new WebSocketServer({ port: 0 });
    const serving = server.serveForever();
    await vi.waitFor(() => expect(server.state).toBe(ServerState.LISTENING));
    const accepted: string[] = [];
    const loop = (async () => {
      for await (const conn of server) accepted.push(conn.clientType);
    })();
    await using a = await RawClient.connect(server.url, ClientType.GENERIC);
    await using b = await RawClient.connect(server.url);
    await vi.waitFor(() => expect(accepted).toEqual([ClientType.GENERIC, ClientType.FRAMEWORK]));
    await server.close();
    await serving;
    await loop;
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
  });

  it("speaks permessage-deflate when compression is on", async () => {
    await using server = await startServer({ handler: new TestHandler(), compression: true });
    await using c = await RawClient.connect(server.url, ClientType.FRAMEWORK, { perMessageDeflate: true });
    expect(c.ws.extensions).toMatch(/permessage-deflate/);
    const text = "compress me ".repeat(1000);
    expect((await c.call("echo", [text])).response).toBe(text);
  });

  it("rejects bad options with clear messages", () => {
    expect(() => new WebSocketServer({ port: -1 })).toThrow(/port must be a non-negative integer/);
    expect(() => new WebSocketServer({ handler: {} as never })).toThrow(/must extend WebSocketHandler/);
  });
});
