import { Type } from "@sinclair/typebox";
import { asyncApiErrors } from "@webshocket/test-utils/asyncapi";
import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../connection.js";
import { WebSocketHandler } from "../handler.js";
import { rpcMethod, type RpcMethodOptions } from "../rpc/rpcMethod.js";
import { asyncApiDocument } from "./asyncApiDocument.js";

type State = { user: string };
type Conn = ClientConnection<State>;

class Shop extends WebSocketHandler<State> {
  @rpcMethod({ params: { sku: Type.String({ minLength: 1 }), qty: Type.Optional(Type.Integer({ minimum: 1 })) } })
  order(_c: Conn, sku: string, qty = 1): string {
    return `${qty} × ${sku}`;
  }
  @rpcMethod({ alias: "price.of", params: [Type.String()], returns: Type.Number() } as RpcMethodOptions)
  priceOf(_c: Conn, sku: string): number {
    return sku.length;
  }
  @rpcMethod() async *ticks(_c: Conn, n: number): AsyncGenerator<number> {
    for (let i = 0; i < n; i++) yield i;
  }
  @rpcMethod() sum(_c: Conn, ...values: number[]): number {
    return values.reduce((a, b) => a + b, 0);
  }
}

type Doc = {
  asyncapi: string;
  info: { title: string };
  channels: Record<string, { address: string; messages: Record<string, { payload: { properties: Record<string, unknown> } }> }>;
  operations: Record<string, Record<string, unknown>>;
};

describe("asyncApiDocument", () => {
  const handler = new Shop();
  handler.registerRpcMethod(rpcMethod()((_c: Conn, text: string) => text.toUpperCase()), "shout");
  const doc = asyncApiDocument(handler, {
    version: "2.1.0",
    servers: { local: { host: "localhost:5000", protocol: "ws" } },
    channels: { "prices.*": { description: "price changes", payload: Type.Object({ sku: Type.String(), price: Type.Number() }) }, news: {} },
    broadcast: { payload: Type.String() },
  }) as Doc;

  it("validates against the AsyncAPI 3.0.0 JSON Schema", () => {
    expect(asyncApiErrors(doc)).toEqual([]);
    expect(asyncApiErrors({ ...doc, operations: { bad: { action: "publish" } } })).not.toEqual([]);
    const dangling = { ...doc, operations: { bad: { action: "send", channel: { $ref: "#/channels/nowhere" } } } };
    expect(asyncApiErrors(dangling)).toEqual(["/operations/bad/channel: $ref #/channels/nowhere points nowhere"]);
  });

  it("has one operation per method, under its alias, replying with a result or the error message", () => {
    expect(doc.asyncapi).toBe("3.0.0");
    expect(doc.info.title).toBe("Shop");
    const rpcOps = Object.values(doc.operations).filter((o) => o["x-webshocket-method"] !== undefined);
    expect(rpcOps.map((o) => o["x-webshocket-method"])).toEqual(["order", "price.of", "shout", "sum", "ticks"]);
    expect(doc.operations["price.of"]?.reply).toEqual({
      channel: { $ref: "#/channels/rpc" },
      messages: [{ $ref: "#/channels/rpc/messages/price.of.result" }, { $ref: "#/channels/rpc/messages/rpc_error" }],
    });
    expect(doc.operations.ticks?.["x-webshocket-streaming"]).toBe(true);
    expect(doc.operations.order?.["x-webshocket-streaming"]).toBe(false);
  });

  it("types args and kwargs from the params schemas, the reply from returns", () => {
    const rpc = (message: string): Record<string, Record<string, unknown>> =>
      (doc.channels.rpc?.messages[message]?.payload.properties.rpc as { properties: Record<string, Record<string, unknown>> }).properties;
    const order = rpc("order.request");
    expect(order.method).toEqual({ const: "order" });
    expect(order.args).toMatchObject({ type: "array", items: [{ type: "string", minLength: 1 }, { type: "integer", minimum: 1 }], minItems: 1, maxItems: 2 });
    expect(order.kwargs).toMatchObject({ properties: { sku: { type: "string", minLength: 1 }, qty: { type: "integer", minimum: 1 } } });
    expect(rpc("price.of.request").args).toMatchObject({ items: [{ type: "string" }] });
    expect(rpc("price.of.result").response).toMatchObject({ type: "number" });
    expect(rpc("order.result").response).toEqual({ description: "The method's result." });
    expect(rpc("sum.request").args).toMatchObject({ items: {}, minItems: 0 });
    expect(rpc("sum.request").args).not.toHaveProperty("maxItems");
    expect(rpc("ticks.request").args).toMatchObject({ items: [{}], minItems: 1, maxItems: 1 });
    expect(rpc("shout.request").kwargs).toMatchObject({ properties: { text: {} } });
  });

  it("describes declared pub/sub channels and broadcast", () => {
    const prices = Object.values(doc.channels).find((c) => c.address === "prices.*");
    expect(Object.values(prices?.messages ?? {})[0]?.payload.properties.data).toMatchObject({ type: "object", properties: { sku: { type: "string" } } });
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual(["/", "prices.*", "news", "broadcast"]);
  });
});
