// Stream flow control ($credit) and the answers to bad control requests, against a real server.
import { ClientType, randomId, RPCErrorCode, type Packet, type RPCResponse } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { Logger } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

const between = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo + 1));
const responsesTo = (c: RawClient, id: string): RPCResponse[] =>
  c.packets.filter((p: Packet) => p.rpc?.type === "response" && p.rpc.call_id === id).map((p) => p.rpc as RPCResponse);

describe("stream credit", () => {
  it("pulls no more values than the client granted, and resumes on each grant", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    const window = between(4, 60);
    const id = randomId();
    const early = c.request("$credit", [id, window]); // the initial window, just ahead of its request
    c.request("tally", [1e9], {}, id);
    expect((await c.waitFor((p) => p.rpc?.call_id === early)).rpc).toMatchObject({ response: false, error: null });
    await c.waitUntil(() => responsesTo(c, id).length >= window);
    // Credit spent: the generator was pulled exactly once per granted chunk.
    expect(handler.produced).toBe(window);
    let granted = window;
    for (let round = 0; round < 3; round++) {
      const more = between(1, window);
      expect((await c.call("$credit", [id, more])).response).toBe(true);
      granted += more;
      await c.waitUntil(() => responsesTo(c, id).length >= granted);
      expect(handler.produced).toBe(granted);
    }
    expect(responsesTo(c, id).map((r) => r.response)).toEqual(Array.from({ length: granted }, (_, i) => i + 1));
    // A stream waiting for credit still stops on $cancel.
    expect((await c.call("$cancel", [id])).response).toBe(true);
    await vi.waitFor(() => expect(handler.streamEvents).toEqual(["tally-start", "tally-finally"]));
    expect(handler.produced).toBe(granted);
  });

  it("closes a generator waiting for credit when the client disconnects", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    const c = await RawClient.connect(server.url);
    const id = randomId();
    c.request("$credit", [id, 2]);
    c.request("tally", [1e9], {}, id);
    await c.waitUntil(() => responsesTo(c, id).length >= 2);
    await c.close();
    await vi.waitFor(() => expect(handler.streamEvents).toEqual(["tally-start", "tally-finally"]));
    expect(handler.produced).toBe(2);
  });

  it("ends a short stream inside its window with is_end, needing no grant", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const n = between(1, 30);
    const id = randomId();
    c.request("$credit", [id, n + between(1, 5)]);
    c.request("tally", [n], {}, id);
    const rs = await c.collect(id);
    expect(rs.map((r) => r.response)).toEqual([...Array.from({ length: n }, (_, i) => i + 1), null]);
    expect(rs.at(-1)?.is_end).toBe(true);
  });

  it("a JSON client that sends no credit gets the whole stream as before", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    const n = between(2000, 6000);
    const rs = await c.collect(c.request("tally", [n]));
    expect(rs.filter((r) => !r.is_end)).toHaveLength(n);
    expect(handler.produced).toBe(n);
  });

  it("credit for another call id does not carry over to the next request", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    c.request("$credit", [randomId(), 1]);
    const n = between(100, 300);
    const rs = await c.collect(c.request("tally", [n]));
    expect(rs.filter((r) => !r.is_end)).toHaveLength(n);
  });
});

describe("control requests with bad arguments", () => {
  it.each([
    ["$cancel", []],
    ["$cancel", [{ toString: 1 }]],
    ["$cancel", [42]],
    ["$credit", []],
    ["$credit", ["id"]],
    ["$credit", ["id", 0]],
    ["$credit", ["id", -3]],
    ["$credit", ["id", 1.5]],
    ["$credit", ["id", "8"]],
    ["$credit", [{ toString: 1 }, 8]],
  ])("%s %j is answered INVALID_PARAMS, not reported as a server error", async (method, args) => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    for (const type of [ClientType.FRAMEWORK, ClientType.GENERIC]) {
      await using c = await RawClient.connect(server.url, type);
      const r = await c.call(method, args);
      expect(r.error).toBe(RPCErrorCode.INVALID_PARAMS);
      expect(r.response).toMatch(new RegExp(`\\${method}\\(\\) expects`));
    }
    expect(handler.errors).toEqual([]);
  });

  it("answers as the conformance vector control/bad-arguments says", async () => {
    const vectors = JSON.parse(readFileSync(new URL("../../protocol/conformance/vectors.json", import.meta.url), "utf8")) as Array<{ name: string; value: Packet }>;
    const vector = vectors.find((v) => v.name === "control/bad-arguments")?.value.rpc as RPCResponse;
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    expect(await c.call("$credit", [randomId(), 0])).toMatchObject({ response: vector.response, error: vector.error, is_stream: false });
  });

  it("an unknown $-method is METHOD_NOT_FOUND", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("$window", ["id", 3])).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
  });
});

describe("client mistakes in the log", () => {
  it("logs each as one line without a stack, at most 5 per connection", async () => {
    const lines: Array<{ level: string; text: string }> = [];
    const capture = (level: string) => (m: string, ...rest: unknown[]) => lines.push({ level, text: [m, ...rest.map(String)].join(" ") });
    const logger: Logger = { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") };
    const handler = new TestHandler();
    await using server = await startServer({ handler, logger });
    const mistakes: Array<[string, unknown[]]> = [
      ["$cancel", [{ toString: 1 }]],
      ["strictAdd", ["x", 1]],
      ["join", [""]],
      ["join", [123]],
      ["join", [["ok", 5]]],
      ["publishTo", [[""], "data"]],
      ["$credit", ["id", 0]],
      ["add", [1, 2, 3, 4]],
    ];
    const count = between(6, 20);
    await using a = await RawClient.connect(server.url);
    for (let i = 0; i < count; i++) {
      const [method, args] = mistakes[i % mistakes.length] as [string, unknown[]];
      expect((await a.call(method, args)).error, `${method} ${JSON.stringify(args)}`).toBe(RPCErrorCode.INVALID_PARAMS);
    }
    expect(lines).toHaveLength(5);
    await using b = await RawClient.connect(server.url, ClientType.GENERIC);
    expect((await b.call("join", [""])).error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect(lines).toHaveLength(6); // per connection: b still has its own lines
    for (const { level, text } of lines) {
      expect(level).toBe("warn");
      expect(text).not.toMatch(/\n|\sat\s/);
    }
    expect(lines.slice(0, 5).every(({ text }) => text.includes(`${[...server.clients].find((x) => x.clientType === ClientType.FRAMEWORK)?.uid}`))).toBe(true);
    expect(handler.errors).toEqual([]);
  });
});
