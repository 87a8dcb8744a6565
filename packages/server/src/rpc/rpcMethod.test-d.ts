import { Type } from "@sinclair/typebox";
import { describe, expectTypeOf, it } from "vitest";
import type { ClientConnection } from "../connection.js";
import { WebSocketHandler } from "../handler.js";
import { rpc } from "./rpc.js";
import { rpcMethod } from "./rpcMethod.js";
import type { StaticParams } from "./rpcTypes.js";

type Conn = ClientConnection;

describe("@rpcMethod checks the method against its schemas", () => {
  it("maps positional schemas to a parameter tuple", () => {
    const schemas = [Type.Number(), Type.Optional(Type.String())] as const;
    expectTypeOf<StaticParams<typeof schemas>>().toEqualTypeOf<[number, string?]>();
    const gap = [Type.Optional(Type.Number()), Type.String()] as const;
    expectTypeOf<StaticParams<typeof gap>>().toEqualTypeOf<[number | undefined, string]>();
  });

  it("accepts matching signatures, optional and defaulted parameters included", () => {
    class Ok extends WebSocketHandler {
      @rpcMethod({ params: [Type.Number(), Type.Optional(Type.String())] })
      a(_c: Conn, n: number, s?: string) {
        return `${n}${s ?? ""}`;
      }
      @rpcMethod({ params: [Type.Number(), Type.Optional(Type.String())] })
      b(_c: Conn, n: number, s = "x") {
        return `${n}${s}`;
      }
      @rpcMethod({ params: [Type.Number()], returns: Type.Number() })
      async c(_c: Conn, n: number) {
        return n * 2;
      }
      @rpcMethod({ returns: Type.Integer() })
      async *d(_c: Conn) {
        yield 1;
      }
      @rpcMethod({ params: { a: Type.Number() } })
      e(_c: Conn, a: number) {
        return a;
      }
      @rpcMethod() f(_c: Conn, anything: Date) {
        return anything;
      }
    }
    void Ok;
  });

  it("refuses mismatches at compile time", () => {
    class Bad extends WebSocketHandler {
      // @ts-expect-error: the schema says number, the method takes a string
      @rpcMethod({ params: [Type.Number()] })
      wrongType(_c: Conn, s: string) {
        return s;
      }
      // @ts-expect-error: the schema's second parameter is optional, the method's is not
      @rpcMethod({ params: [Type.Number(), Type.Optional(Type.String())] })
      notOptional(_c: Conn, n: number, s: string) {
        return n + s;
      }
      // @ts-expect-error: the method takes a parameter the schema does not list
      @rpcMethod({ params: [Type.Number()] })
      extra(_c: Conn, n: number, m: number) {
        return n + m;
      }
      // @ts-expect-error: the method returns a string, the schema says number
      @rpcMethod({ returns: Type.Number() })
      async wrongResult(_c: Conn) {
        return "x";
      }
      // @ts-expect-error: a stream yielding strings against a number schema
      @rpcMethod({ returns: Type.Number() })
      async *wrongYield(_c: Conn) {
        yield "x";
      }
    }
    void Bad;
  });
});

describe("rpc() fields", () => {
  it("types parameters from a positional params schema and carries the alias", () => {
    const repeat = rpc({ alias: "again", params: [Type.String(), Type.Optional(Type.Integer())] }, (_c, text, times) => {
      expectTypeOf(text).toEqualTypeOf<string>();
      expectTypeOf(times).toEqualTypeOf<number | undefined>();
      return text.repeat(times ?? 1);
    });
    expectTypeOf(repeat["~rpc"].alias).toEqualTypeOf<"again">();
    expectTypeOf(rpc((_c, a: number) => a)["~rpc"].alias).toEqualTypeOf<undefined>();
  });

  it("refuses a function that does not match its schemas", () => {
    // @ts-expect-error: the schema says number, the function takes a string
    rpc({ params: [Type.Number()] }, (_c, s: string) => s);
    // @ts-expect-error: the function returns a string, the schema says number
    rpc({ returns: Type.Number() }, (_c) => "x");
    // @ts-expect-error: streams are checked value by value
    rpc({ returns: Type.Number() }, async function* (_c) {
      yield "x";
    });
  });
});
