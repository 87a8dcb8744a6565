import { Type } from "@sinclair/typebox";
import { RPCErrorCode } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { rpcMethod, WebSocketHandler, type ClientConnection } from "../src/index.js";
import { startServer } from "./startServer.js";

type Conn = ClientConnection;

class Params extends WebSocketHandler {
  readonly errors: unknown[] = [];
  override onError(error: unknown): void {
    this.errors.push(error);
  }
  /** No schema: a trailing `b?` may be left out, as JavaScript allows. */
  @rpcMethod() opt(_c: Conn, a: number, b?: number) {
    return b === undefined ? `a=${a}` : `a=${a} b=${b}`;
  }
  @rpcMethod({ params: [Type.Number(), Type.Optional(Type.String())] })
  schemaOpt(_c: Conn, n: number, s?: string) {
    return `${n}:${s ?? "-"}`;
  }
  @rpcMethod({ params: [Type.Number(), Type.Number()] })
  both(_c: Conn, a: number, b: number) {
    return a + b;
  }
  @rpcMethod({ returns: Type.Integer() }) half(_c: Conn, n: number) {
    return n / 2;
  }
  @rpcMethod({ returns: Type.String() }) async later(_c: Conn, value: string) {
    return value;
  }
  @rpcMethod({ returns: Type.Integer(), validateReturns: false }) unchecked(_c: Conn, n: number) {
    return n / 2;
  }
  @rpcMethod({ returns: Type.Integer({ maximum: 2 }) }) async *upTo(_c: Conn, n: number) {
    for (let i = 1; i <= n; i++) yield i;
  }
}

describe("parameters and result schemas", () => {
  it("lets a caller leave out trailing parameters without a schema; too many arguments and unknown keywords stay errors", async () => {
    await using server = await startServer({ handler: new Params() });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("opt", [1])).response).toBe("a=1");
    expect((await c.call("opt", [1, 2])).response).toBe("a=1 b=2");
    expect((await c.call("opt", [], { b: 2, a: 1 })).response).toBe("a=1 b=2");
    const tooMany = await c.call("opt", [1, 2, 3]);
    expect(tooMany.error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(String(tooMany.response)).toMatch(/takes 2 arguments but 3 were given/);
    const unknown = await c.call("opt", [1], { c: 3 });
    expect(unknown.error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(String(unknown.response)).toMatch(/unexpected keyword argument 'c'/);
  });

  it("lets the params schema decide what may be left out", async () => {
    await using server = await startServer({ handler: new Params() });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("schemaOpt", [1])).response).toBe("1:-");
    expect((await c.call("schemaOpt", [1, "x"])).response).toBe("1:x");
    const missing = await c.call("both", [1]);
    expect(missing.error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(String(missing.response)).toMatch(/missing required argument 'b'/);
    const wrong = await c.call("schemaOpt", [1, 2]);
    expect(wrong.error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(String(wrong.response)).toMatch(/argument 's'/);
  });

  it("checks results against the returns schema (sync, async, each streamed value) unless turned off", async () => {
    const handler = new Params();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("half", [4])).response).toBe(2);
    const refused = await c.call("half", [3]);
    expect(refused.error).toBe(RPCErrorCode.INTERNAL_SERVER_ERROR);
    expect(handler.errors.map(String)).toEqual([expect.stringMatching(/'half' returned a value its returns schema refuses/)]);
    expect((await c.call("later", ["x"])).response).toBe("x");
    expect((await c.call("unchecked", [3])).response).toBe(1.5);
    const id = c.request("upTo", [3]);
    const packets = await c.collect(id);
    expect(packets.map((p) => p.error)).toEqual([null, null, RPCErrorCode.INTERNAL_SERVER_ERROR]);
    expect(packets.slice(0, 2).map((p) => p.response)).toEqual([1, 2]);
    expect(handler.errors).toHaveLength(2);
  });
});
