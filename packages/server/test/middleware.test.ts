import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { RPCError, RPCErrorCode, type CallContext, type ConnectionContext, type Middleware } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

describe("middleware", () => {
  it("runs call hooks in order around the method, seeing name, args, result and duration", async () => {
    const log: string[] = [];
    const outer = async (ctx: CallContext, next: () => void | Promise<void>): Promise<void> => {
      log.push(`outer>${ctx.method}(${JSON.stringify(ctx.args)})`);
      await next();
      log.push(`outer<${JSON.stringify(ctx.result)}`);
    };
    const inner: Middleware = {
      call(ctx, next) {
        log.push(`inner>${ctx.known}`);
        const r = next();
        log.push(`inner<sync:${r === undefined}`);
        return r;
      },
    };
    const seen: CallContext[] = [];
    await using server = await startServer({ handler: new TestHandler(), middleware: [outer] });
    // use() after the option: runs inside it (not possible after start, so a second server)
    expect(() => server.use(inner)).toThrow(/before start/);
    const handler = new TestHandler();
    await using s2 = await (async () => {
      const { WebSocketServer, silentLogger } = await import("../src/index.js");
      const s = new WebSocketServer({ port: 0, logger: silentLogger, handler, middleware: [outer] });
      s.use(inner).use((ctx, next) => {
        seen.push(ctx);
        return next();
      });
      return s.start();
    })();
    await using c = await RawClient.connect(s2.url);
    expect((await c.call("add", [2, 3])).response).toBe(5);
    expect(log).toEqual(["outer>add([2,3])", "inner>true", "inner<sync:true", "outer<5"]);
    log.length = 0;
    expect((await c.call("echo", ["x"])).response).toBe("x");
    expect(log).toEqual(['outer>echo(["x"])', "inner>true", "inner<sync:false", 'outer<"x"']);
    expect(seen[1]?.duration).toBeGreaterThanOrEqual(0);
    expect(seen[1]?.error).toBeUndefined();
    // the multiply alias is the registered name
    expect((await c.call("multiply", [2, 4])).response).toBe(8);
    expect(seen[2]?.method).toBe("multiply");
  });

  it("rejects with an RPC error code, transforms results, and sees failures and unknown methods", async () => {
    const errors: Array<[string, boolean, number | undefined]> = [];
    await using server = await startServer({
      handler: new TestHandler(),
      middleware: [
        async (ctx, next) => {
          await next();
          errors.push([ctx.method, ctx.known, ctx.error?.rpcCode]);
        },
        (ctx, next) => {
          if (ctx.method === "greet" && ctx.args[0] === "mallory") throw new RPCError("not you", { rpcCode: RPCErrorCode.ACCESS_DENIED });
          if (ctx.method === "add") ctx.args = [Number(ctx.args[0]) * 10, ctx.args[1]];
          const r = next();
          const upper = (): void => {
            if (typeof ctx.result === "string") ctx.result = ctx.result.toUpperCase();
          };
          if (r === undefined) upper();
          else return r.then(upper);
          return undefined;
        },
      ],
    });
    await using c = await RawClient.connect(server.url);
    const denied = await c.call("greet", ["mallory"]);
    expect([denied.error, denied.response]).toEqual([RPCErrorCode.ACCESS_DENIED, "not you"]);
    expect((await c.call("greet", ["bob"])).response).toBe("HELLO, BOB!");
    expect((await c.call("echo", ["quiet"])).response).toBe("QUIET");
    expect((await c.call("add", [1, 2])).response).toBe(12);
    expect((await c.call("nope", [])).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    expect((await c.call("fail", ["boom"])).error).toBe(RPCErrorCode.APPLICATION_ERROR);
    const crash = await c.call("crash", []);
    expect([crash.error, crash.response]).not.toContain("secret internal detail");
    expect((await c.call("strictAdd", ["a", 1])).error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(errors).toEqual([
      ["greet", true, RPCErrorCode.ACCESS_DENIED],
      ["greet", true, undefined],
      ["echo", true, undefined],
      ["add", true, undefined],
      ["nope", false, RPCErrorCode.METHOD_NOT_FOUND],
      ["fail", true, RPCErrorCode.APPLICATION_ERROR],
      ["crash", true, RPCErrorCode.INTERNAL_SERVER_ERROR],
      ["strictAdd", true, RPCErrorCode.INVALID_PARAMS],
    ]);
  });

  it("wraps streams: next() settles at the end with the chunk count; a refused stream ends with its error", async () => {
    const done: Array<[string, number, boolean, number | undefined]> = [];
    let threeDone!: () => void;
    const allDone = new Promise<void>((resolve) => (threeDone = resolve));
    await using server = await startServer({
      handler: new TestHandler(),
      middleware: [
        async (ctx, next) => {
          if (ctx.method === "count_to" && ctx.args[0] === 13) throw new RPCError("unlucky");
          await next();
          done.push([ctx.method, ctx.chunks, ctx.cancelled, ctx.error?.rpcCode]);
          if (done.length === 3) threeDone();
        },
      ],
    });
    await using c = await RawClient.connect(server.url);
    const values = await c.collect(c.request("count_to", [3]));
    expect(values.map((v) => v.response)).toEqual([1, 2, 3, null]);
    const refused = await c.collect(c.request("count_to", [13]));
    expect(refused).toHaveLength(1);
    expect([refused[0]?.is_stream, refused[0]?.is_end, refused[0]?.error]).toEqual([true, true, RPCErrorCode.APPLICATION_ERROR]);
    const failing = await c.collect(c.request("failing", []));
    expect(failing.at(-1)?.error).toBe(RPCErrorCode.APPLICATION_ERROR);
    const forever = c.request("forever", []);
    await c.waitUntil(() => c.packets.some((p) => p.rpc?.type === "response" && p.rpc.call_id === forever));
    await c.call("$cancel", [forever]);
    await allDone;
    expect(done).toEqual([
      ["count_to", 3, false, undefined],
      ["failing", 1, false, RPCErrorCode.APPLICATION_ERROR],
      ["forever", done[2]?.[1] as number, true, undefined],
    ]);
  });

  it("runs open and close hooks around onConnect/onDisconnect, with the close code; a throwing open closes with 1008", async () => {
    const log: string[] = [];
    const handler = new TestHandler();
    let closedTwice!: () => void;
    const bothClosed = new Promise<void>((resolve) => (closedTwice = resolve));
    await using server = await startServer({
      handler,
      middleware: [
        {
          async open(_ctx: ConnectionContext, next) {
            log.push(`open>${handler.connected.length}`);
            if (handler.connected.length === 1) throw new Error("one is enough");
            await next();
            log.push(`open<${handler.connected.length}`);
          },
          async close(ctx, next) {
            await next();
            log.push(`close ${ctx.code} ${handler.disconnected.length}`);
            if (log.filter((l) => l.startsWith("close")).length === 2) closedTwice();
          },
        },
      ],
    });
    const c = await RawClient.connect(server.url);
    await c.call("add", [1, 1]);
    const refused = await RawClient.connect(server.url);
    expect((await refused.closed).code).toBe(1008);
    c.ws.close(4001, "bye");
    await c.closed;
    await bothClosed;
    expect(log).toEqual(["open>0", "open<1", "open>1", "close 1008 1", "close 4001 2"]);
  });
});
