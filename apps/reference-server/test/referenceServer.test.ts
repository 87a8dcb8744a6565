import { fileURLToPath } from "node:url";
import { ClientType, PacketSource, RPCErrorCode } from "@webshocket/protocol";
import { parsePrometheusText, promValue, RawClient, spawnServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("reference server (as a process, the way bindings use it)", () => {
  it("with METRICS=1 serves /metrics, /healthz and /readyz on its port; without, none of them", async () => {
    await using server = await spawnServer(main, { PORT: "0", METRICS: "1" });
    const http = `http://127.0.0.1:${server.port}`;
    await using mp = await RawClient.connect(server.url);
    expect((await mp.call("add", [1, 2])).response).toBe(3);
    expect((await mp.call("no_such_method")).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    const metrics = parsePrometheusText(await (await fetch(`${http}/metrics`)).text());
    expect(promValue(metrics, "webshocket_rpc_calls_total", { method: "add", code: "OK" })).toBe(1);
    expect(promValue(metrics, "webshocket_rpc_calls_total", { method: "<unknown>", code: "METHOD_NOT_FOUND" })).toBe(1);
    expect(promValue(metrics, "webshocket_connections")).toBe(1);
    await using plain = await spawnServer(main, { PORT: "0" });
    // uWS closes a plain HTTP request on a port with no routes; the ws engine answers 426
    const unserved = await fetch(`http://127.0.0.1:${plain.port}/metrics`).then((r) => r.status, () => "closed");
    expect(unserved).not.toBe(200);
  });

  it("starts with the documented command line and serves every listed method", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    await using json = await RawClient.connect(server.url, ClientType.GENERIC);
    await using mp = await RawClient.connect(server.url, ClientType.FRAMEWORK);

    expect((await json.call("add", [10, 20])).response).toBe(30);
    expect((await mp.call("multiply", [3, 7])).response).toBe(21);
    expect((await mp.call("mul", [3, 7])).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    expect((await json.call("echo", [{ a: [1, "two"] }])).response).toEqual({ a: [1, "two"] });
    const stream = await json.collect(json.request("count_to", [3], { delay_ms: 1 }));
    expect(stream.map((r) => r.response)).toEqual([1, 2, 3, null]);

    expect((await json.call("whoami")).response).toBe(null);
    expect((await json.call("login", ["ada"], { role: "editor" })).response).toBe("Logged in as ada");
    expect((await json.call("whoami")).response).toBe("ada");
    expect((await json.call("edit", ["doc-1"])).response).toBe("Editing doc-1");
    expect((await json.call("admin_action")).error).toBe(RPCErrorCode.ACCESS_DENIED);
    await mp.call("login", ["root", null, true]);
    expect((await mp.call("admin_action")).response).toBe("Secret data");

    expect((await json.call("join", ["room.1"])).response).toBe(true);
    expect((await mp.call("join", ["room.*"])).response).toBe(true);
    await json.call("publish", ["room.1", "hello"]);
    const got = await mp.waitFor((p) => p.source === PacketSource.CHANNEL);
    expect(got).toMatchObject({ channel: "room.1", data: "hello" });
    await json.call("broadcast", ["admins!", true]);
    expect((await mp.waitFor((p) => p.source === PacketSource.BROADCAST)).data).toBe("admins!");

    expect((await json.call("$subscribe", ["public.news"])).response).toEqual({ channel: "public.news" });
    expect((await mp.call("$subscribe", ["members.*"])).response).toBeNull();
    await using anonymous = await RawClient.connect(server.url, ClientType.GENERIC);
    expect(await anonymous.call("$subscribe", ["members.1"])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: "Access denied for channel 'members.1'." });
    expect((await anonymous.call("$subscribe", ["room.1"])).error).toBe(RPCErrorCode.ACCESS_DENIED);
    await mp.call("publish", ["public.news", "extra"]);
    expect((await json.waitFor((p) => p.channel === "public.news")).data).toBe("extra");
    expect((await json.call("$unsubscribe", ["public.news"])).response).toBe(true);

    expect((await json.call("fail", ["boom"]))).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR, response: "boom" });
    expect((await json.call("crash")).error).toBe(RPCErrorCode.INTERNAL_SERVER_ERROR);
    expect((await json.call("internal")).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);

    const limited = [];
    for (let i = 0; i < 4; i++) limited.push((await json.call("limited")).error);
    expect(limited).toEqual([null, null, null, RPCErrorCode.RATE_LIMIT_EXCEEDED]);

    json.sendRaw(JSON.stringify({ source: 4, data: "ping" }), false);
    expect((await json.waitFor((p) => p.source === PacketSource.CUSTOM)).data).toEqual({ echo: "ping", source: 4 });

    await mp.call("limited_disconnect");
    await mp.call("limited_disconnect");
    await mp.call("limited_disconnect");
    expect((await mp.closed).code).toBe(1013);
  });

  it("enforces MAX_CONNECTIONS", async () => {
    await using server = await spawnServer(main, { PORT: "0", MAX_CONNECTIONS: "1" });
    await using first = await RawClient.connect(server.url);
    await expect(RawClient.connect(server.url)).rejects.toThrow(/Unexpected server response: 503/);
    expect((await first.call("add", [1, 2])).response).toBe(3);
  });

  it("refuses a bad PORT with a clear message", async () => {
    await expect(spawnServer(main, { PORT: "banana" })).rejects.toThrow(/PORT must be 0\.\.65535/);
  });
});

describe("reference server handshake settings", () => {
  it("honours ALLOWED_ORIGINS", async () => {
    await using server = await spawnServer(main, { PORT: "0", ALLOWED_ORIGINS: "https://a.example, https://b.example" });
    await expect(RawClient.connect(server.url, ClientType.GENERIC, { origin: "https://evil.example" })).rejects.toThrow(/403/);
    await using ok = await RawClient.connect(server.url, ClientType.GENERIC, { origin: "https://b.example" });
    expect((await ok.call("add", [1, 2])).response).toBe(3);
  });

  it("honours AUTH_TOKEN via query parameter or bearer header", async () => {
    await using server = await spawnServer(main, { PORT: "0", AUTH_TOKEN: "t0k3n" });
    await expect(RawClient.connect(server.url)).rejects.toThrow(/401/);
    await expect(RawClient.connect(`${server.url}/?token=wrong`)).rejects.toThrow(/401/);
    await using byQuery = await RawClient.connect(`${server.url}/?token=t0k3n`);
    expect((await byQuery.call("add", [2, 3])).response).toBe(5);
    await using byHeader = await RawClient.connect(server.url, ClientType.GENERIC, { headers: { authorization: "Bearer t0k3n" } });
    expect((await byHeader.call("add", [4, 5])).response).toBe(9);
  });
  it("resumes sessions with RESUME_WINDOW (PROTOCOL.md § 11), and offers none without it", async () => {
    await using server = await spawnServer(main, { PORT: "0", RESUME_WINDOW: "1m" });
    const first = await RawClient.connect(`${server.url}?resume=`, ClientType.GENERIC);
    const isSession = (p: { rpc: { call_id?: string } | null }): boolean => p.rpc?.call_id === "$session";
    const session = (await first.waitFor(isSession)).rpc as { response: { token: string; recovered: boolean; window: number } };
    expect(session.response).toMatchObject({ recovered: false, window: 60 });
    await first.call("login", ["ada"]);
    first.ws.terminate();
    await using again = await RawClient.connect(`${server.url}?resume=${session.response.token}.0`, ClientType.GENERIC);
    expect(((await again.waitFor(isSession)).rpc as { response: { recovered: boolean } }).response.recovered).toBe(true);
    expect((await again.call("whoami")).response).toBe("ada");

    await using plain = await spawnServer(main, { PORT: "0" });
    await using client = await RawClient.connect(`${plain.url}?resume=`, ClientType.GENERIC);
    expect((await client.call("add", [1, 2])).response).toBe(3);
    expect(client.packets.some((p) => isSession(p))).toBe(false);
  });
});
