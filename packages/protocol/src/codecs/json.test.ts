import { describe, expect, it } from "vitest";
import { PacketSource, RPCErrorCode } from "../enums.js";
import { createResponse, isRequestPacket, type Packet, type RPCRequest } from "../packet.js";
import { jsonCodec, parse, stringify } from "./json.js";

/** The request from the seed README: what a browser sends with no client library. */
const SEED = '{"rpc":{"type":"request","method":"add","args":[10,20],"kwargs":{}},"source":5}';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function request(input: string | Uint8Array): Packet<RPCRequest> {
  const { packet, error } = jsonCodec.decodeDetailed(input);
  expect(error).toBeUndefined();
  if (!isRequestPacket(packet)) throw new Error(`not a request: ${JSON.stringify(packet)}`);
  return packet;
}

describe("JSON codec: the seed request", () => {
  it.each([
    ["text", SEED],
    ["bytes", new TextEncoder().encode(SEED)],
    ["bytes with a BOM", new TextEncoder().encode(`\uFEFF${SEED}`)],
  ])("decodes from %s to a valid RPC request with a generated call_id", (_label, input) => {
    const packet = request(input);
    expect(packet.source).toBe(PacketSource.RPC);
    expect(packet.rpc).toEqual({
      type: "request",
      method: "add",
      args: [10, 20],
      kwargs: {},
      call_id: expect.stringMatching(UUID_V4),
    });
    expect(packet).toMatchObject({ data: null, channel: null, timestamp: null, correlation_id: null });
  });

  it("generates a fresh call_id per message", () => {
    expect(request(SEED).rpc.call_id).not.toBe(request(SEED).rpc.call_id);
  });

  it("keeps a call_id the client sent", () => {
    const text = '{"source":5,"rpc":{"type":"request","method":"add","call_id":"c-1"}}';
    expect(request(text).rpc.call_id).toBe("c-1");
  });

  it("fills missing args and kwargs with their defaults", () => {
    const packet = request('{"source":5,"rpc":{"type":"request","method":"ping"}}');
    expect(packet.rpc.args).toEqual([]);
    expect(packet.rpc.kwargs).toEqual({});
  });

  it("ignores unknown fields at every level", () => {
    const text = '{"source":5,"future":1,"rpc":{"type":"request","method":"m","args":[1],"priority":"high"},"x":{"y":2}}';
    const packet = request(text);
    expect(packet).not.toHaveProperty("future");
    expect(packet).not.toHaveProperty("x");
    expect(packet.rpc).not.toHaveProperty("priority");
    expect(packet.rpc.args).toEqual([1]);
  });

  it("accepts explicit nulls for nullable fields", () => {
    const text = '{"source":4,"data":null,"rpc":null,"channel":null,"timestamp":null,"correlation_id":null}';
    expect(jsonCodec.decodeDetailed(text)).toEqual({
      packet: { source: 4, data: null, rpc: null, channel: null, timestamp: null, correlation_id: null },
      error: undefined,
    });
  });
});

describe("JSON codec: responses", () => {
  it("createResponse(id, 30) encodes so that packet.rpc.response === 30", () => {
    const bytes = jsonCodec.encode(createResponse("id-1", 30));
    const wire = JSON.parse(new TextDecoder().decode(bytes)) as { source: number; data: unknown; rpc: Record<string, unknown> };
    expect(wire.rpc.response).toBe(30);
    expect(wire.data).toBeNull(); // the result goes once, as the Python server sends it
    expect(wire.source).toBe(5);
    expect(wire.rpc).toEqual({ type: "response", call_id: "id-1", response: 30, error: null, is_stream: false, is_end: false });
  });

  it("writes fields in declaration order with type first inside rpc", () => {
    const text = jsonCodec.stringify({ ...createResponse("c", "boom", { error: RPCErrorCode.APPLICATION_ERROR }), timestamp: 1 });
    expect(text).toBe(
      '{"source":5,"data":null,"rpc":{"type":"response","call_id":"c","response":"boom","error":-32001,"is_stream":false,"is_end":false},"channel":null,"timestamp":1,"correlation_id":null}',
    );
  });

  it("encode is the UTF-8 of stringify", () => {
    const packet = { ...createResponse("c", "héllo 😀"), timestamp: 2 };
    expect(new TextDecoder().decode(jsonCodec.encode(packet))).toBe(jsonCodec.stringify(packet));
  });
});

describe("JSON text helpers", () => {
  it("stringify writes bigints as exact integers and bytes as base64", () => {
    expect(stringify({ n: 2n ** 64n, b: new Uint8Array([0, 1, 255]), s: "x" })).toBe('{"n":18446744073709551616,"b":"AAH/","s":"x"}');
    expect(stringify(undefined)).toBe("null");
  });

  it("parse turns integers beyond ±2^53 into bigints and keeps the rest numbers", () => {
    expect(parse("[9007199254740992,-9007199254740992,9007199254740993,-9007199254740993,1e21,12345678901234567.5]")).toEqual([
      2 ** 53,
      -(2 ** 53),
      2n ** 53n + 1n,
      -(2n ** 53n) - 1n,
      1e21,
      12345678901234567.5,
    ]);
  });

  it("stringify writes numbers beyond ±2^53 as floats, so they do not come back as (wrong) bigints", () => {
    expect(stringify([2 ** 60 + 256, -(2 ** 60), 2 ** 53, 1e21, 2 ** 53 + 2])).toBe(
      "[1152921504606847200.0,-1152921504606847000.0,9007199254740992,1e+21,9007199254740994.0]",
    );
    expect(parse(stringify([2 ** 60 + 256, -(2 ** 60), 2 ** 53 + 2]))).toEqual([2 ** 60 + 256, -(2 ** 60), 2 ** 53 + 2]);
  });

  it("stringify handles values that need care wherever they sit, toJSON results included", () => {
    const cases: ReadonlyArray<[unknown, string]> = [
      [{ a: [{ b: 2n ** 64n }] }, '{"a":[{"b":18446744073709551616}]}'],
      [[1, [2, [new Uint8Array([255])]]], '[1,[2,["/w=="]]]'],
      [{ toJSON: () => 2n ** 70n }, "1180591620717411303424"],
      [{ d: new Date(0) }, '{"d":"1970-01-01T00:00:00.000Z"}'],
      [Object.assign(Object.create(null) as object, { x: [2 ** 60] }), '{"x":[1152921504606847000.0]}'],
      [{ n: Number.NaN, f: () => 1, u: undefined }, '{"n":null}'],
    ];
    for (const [value, text] of cases) expect(stringify(value)).toBe(text);
  });

  it("parse leaves digits inside strings alone", () => {
    expect(parse('{"s":"123456789012345678901","t":"a\\"99999999999999999999"}')).toEqual({
      s: "123456789012345678901",
      t: 'a"99999999999999999999',
    });
  });

  it("a string cannot forge a bigint", () => {
    expect(parse('["\\u0000bigint:123", "bigint:99999999999999999999"]')).toEqual(["\u0000bigint:123", "bigint:99999999999999999999"]);
  });
});
