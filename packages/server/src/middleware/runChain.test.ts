import { describe, expect, it } from "vitest";
import { runChain, type Hook } from "./runChain.js";

type Ctx = { log: string[]; failed: unknown[] };
const fail = (ctx: Ctx, err: unknown): void => void ctx.failed.push(err);

describe("runChain", () => {
  it("stays synchronous while every hook and the inner function are", () => {
    const ctx: Ctx = { log: [], failed: [] };
    const hook = (name: string): Hook<Ctx> => (c, next) => {
      c.log.push(`${name}>`);
      const r = next();
      c.log.push(`<${name}`);
      return r;
    };
    const r = runChain([hook("a"), hook("b")], ctx, (c) => void c.log.push("inner"), fail);
    expect(r).toBeUndefined();
    expect(ctx.log).toEqual(["a>", "b>", "inner", "<b", "<a"]);
  });

  it("passes a throw or rejection to fail, and the outer hooks go on", async () => {
    const ctx: Ctx = { log: [], failed: [] };
    const outer: Hook<Ctx> = async (c, next) => {
      await next();
      c.log.push("outer after");
    };
    const thrower: Hook<Ctx> = () => {
      throw new Error("sync");
    };
    await runChain([outer, thrower], ctx, () => void ctx.log.push("never"), fail);
    const rejecter: Hook<Ctx> = async () => Promise.reject(new Error("async"));
    await runChain([outer, rejecter], ctx, () => void ctx.log.push("never"), fail);
    expect(ctx.log).toEqual(["outer after", "outer after"]);
    expect(ctx.failed.map((e) => (e as Error).message)).toEqual(["sync", "async"]);
  });
});
