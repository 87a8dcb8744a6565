import { getRateLimit, rateLimit } from "@webshocket/guards";
import { describe, expect, it } from "vitest";
import { WebSocketHandler } from "../handler.js";
import { collectRpcMethods } from "./registry.js";
import { rpc } from "./rpc.js";
import { getRpcMethodOptions, rpcMethod } from "./rpcMethod.js";

/** Applies decorators as TypeScript's `experimentalDecorators` output does: (prototype, key, descriptor), last first. */
function legacyDecorate(decorators: Function[], proto: object, key: string): void {
  let descriptor = Object.getOwnPropertyDescriptor(proto, key) as PropertyDescriptor;
  for (const decorate of [...decorators].reverse()) descriptor = (decorate(proto, key, descriptor) as PropertyDescriptor | undefined) ?? descriptor;
  Object.defineProperty(proto, key, descriptor);
}

describe("@rpcMethod as a legacy (experimentalDecorators) decorator", () => {
  it("marks the method, with @rateLimit stacked in either order", () => {
    class Legacy extends WebSocketHandler {
      add(_c: unknown, a: number, b: number) {
        return a + b;
      }
      mul(_c: unknown, a: number, b: number) {
        return a * b;
      }
    }
    legacyDecorate([rpcMethod()], Legacy.prototype, "add");
    legacyDecorate([rateLimit({ limit: 2 }), rpcMethod({ alias: "multiply" })], Legacy.prototype, "mul");
    expect(getRpcMethodOptions(Legacy.prototype.add)).toEqual({});
    expect(getRateLimit(Legacy.prototype.mul)).toMatchObject({ limit: 2 });
    const methods = collectRpcMethods(new Legacy(), WebSocketHandler.prototype);
    expect([...methods.keys()].sort()).toEqual(["add", "multiply"]);
    expect(methods.get("multiply")?.rateLimit).toMatchObject({ limit: 2 });
  });

  it("refuses what is not a method", () => {
    expect(() => rpcMethod()({}, "x", { value: 1 } as never)).toThrow(/only decorate methods/);
  });
});

describe("rpc() fields", () => {
  it("are collected from the instance under their alias, marked at run time as their type says", () => {
    class Fields extends WebSocketHandler {
      add = rpc((_c, a: number, b: number) => a + b);
      mul = rpc({ alias: "multiply" }, (_c, a: number, b: number) => a * b);
      plain = (a: number) => a;
    }
    const handler = new Fields();
    const methods = collectRpcMethods(handler, WebSocketHandler.prototype);
    expect([...methods.keys()].sort()).toEqual(["add", "multiply"]);
    expect(handler.mul["~rpc"]).toEqual({ alias: "multiply" });
    expect(() => rpc({}, 1 as never)).toThrow(/must be a function/);
  });
});
