import { afterAll, describe, expect, it } from "vitest";
import { CODECS } from "../../test/decoding.js";

describe.each(CODECS)("%s: prototype pollution", (_name, codec) => {
  afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** Keys that pollute Object.prototype when merged carelessly; JSON.parse makes them own properties. */
  const hostile = (): Record<string, unknown> =>
    JSON.parse(
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
    ) as Record<string, unknown>;
  const cases: ReadonlyArray<[string, unknown]> = [
    ["data", { source: 4, data: hostile() }],
    ["kwargs", { source: 5, rpc: { type: "request", method: "m", kwargs: hostile(), call_id: "c" } }],
    ["args", { source: 5, rpc: { type: "request", method: "m", args: [hostile()], call_id: "c" } }],
    ["data, with a bigint (JSON reviver path)", { source: 4, data: { big: 2n ** 60n, evil: hostile() } }],
    ["the packet itself", { ...(JSON.parse('{"__proto__":{"source":5,"polluted":"yes"}}') as object), source: 4 }],
  ];

  it.each(cases)("keys in %s stay own data properties and pollute nothing", (_where, value) => {
    const bytes = codec.encodeValue(value);
    expect(new TextDecoder("latin1").decode(bytes)).toContain("__proto__");
    const { packet, error } = codec.decodeDetailed(bytes);
    expect(error).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    const rpc = packet.rpc !== null && packet.rpc.type === "request" ? packet.rpc : undefined;
    const objects = [packet.data, (packet.data as Record<string, unknown> | null)?.evil, rpc?.kwargs, rpc?.args[0]];
    for (const o of objects) {
      if (typeof o !== "object" || o === null || !Object.hasOwn(o, "__proto__")) continue;
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(o, "__proto__")).toMatchObject({ value: { polluted: "yes" }, enumerable: true });
      expect(Object.keys(o)).toEqual(["__proto__", "constructor", "prototype"]);
      expect((o as { constructor: unknown }).constructor).toEqual({ prototype: { polluted: "yes" } });
    }
  });

  it("a __proto__ key round-trips as an own property with its value intact", () => {
    const data = hostile();
    const back = codec.decode(codec.encode({ source: 4, data, rpc: null, channel: null, timestamp: null, correlation_id: null })).data;
    expect(Object.keys(back as object)).toEqual(["__proto__", "constructor", "prototype"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ polluted: "yes" });
    expect(Object.hasOwn(back as object, "__proto_")).toBe(false);
  });

  it("the packet's own __proto__ key does not change its source", () => {
    const { packet } = codec.decodeDetailed(codec.encodeValue(cases[4]?.[1]));
    expect(packet.source).toBe(4);
  });
});
