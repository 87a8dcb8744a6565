// The chat server at the protocol level (no browser): its HTTP routes and the rules of its RPCs.
import { fileURLToPath } from "node:url";
import { ClientType, PacketSource, RPCErrorCode } from "@webshocket/protocol";
import { RawClient, spawnServer, type SpawnedServer } from "@webshocket/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("chat server", () => {
  let server: SpawnedServer;
  let http: string;
  beforeAll(async () => {
    server = await spawnServer(main, { PORT: "0" });
    http = server.url.replace(/^ws/, "http");
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  it("serves the page, its assets and the client bundle on the WebSocket's port", async () => {
    const page = await fetch(`${http}/`);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<script type="module" src="/chat.js">');
    const bundle = await fetch(`${http}/webshocket-client.js`);
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await bundle.text()).toContain("WebSocketClient");
    for (const path of ["/index.html", "/chat.js", "/chatView.js", "/chat.css", "/plain.html"]) expect((await fetch(`${http}${path}`)).status, path).toBe(200);
    const missing = await fetch(`${http}/nope`);
    expect(missing.status).toBe(404);
    // A WebSocket handshake on any path still reaches the server (the page routes yield to it).
    await using c = await RawClient.connect(`${server.url}/chat.js`);
    expect((await c.call("add", [10, 20])).response).toBe(30);
  });

  it("signs people in under free, valid names; the admin passcode is checked", async () => {
    await using a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url, ClientType.GENERIC);
    expect(await a.call("login", ["  "])).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR });
    expect(await a.call("login", ["x".repeat(25)])).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR });
    const ok = await a.call("login", ["Zoe"]);
    expect(ok.response).toMatchObject({ username: "Zoe", is_admin: false, sendLimit: { limit: 5, seconds: 10 } });
    expect((ok.response as { rooms: string[] }).rooms).toEqual(expect.arrayContaining(["general", "random", "help"]));
    expect(await a.call("login", ["Zed"])).toMatchObject({ response: "Already signed in as Zoe." });
    expect(await b.call("login", ["zoe"])).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR, response: "“zoe” is already here — pick another name." });
    expect(await b.call("login", ["Boss", "wrong"])).toMatchObject({ response: "That is not the admin passcode." });
    expect(await b.call("login", ["Boss", ""])).toMatchObject({ response: "That is not the admin passcode." });
    expect((await b.call("login", ["Boss", "letmein"])).response).toMatchObject({ is_admin: true });
  });

  it("guards every room action: sign-in first, valid rooms, join before sending, admins announce", async () => {
    await using c = await RawClient.connect(server.url);
    const denied = (channel: string) => ({ error: RPCErrorCode.ACCESS_DENIED, response: `Access denied for channel '${channel}'.` });
    expect(await c.call("$subscribe", ["room.general"])).toMatchObject(denied("room.general"));
    expect((await c.call("send", ["general", "hi"])).error).toBe(RPCErrorCode.ACCESS_DENIED);
    await c.call("login", ["Quinn"]);
    expect(await c.call("$subscribe", ["room.*"])).toMatchObject(denied("room.*")); // the all-rooms view is for admins
    expect(await c.call("$subscribe", ["room.g*"])).toMatchObject(denied("room.g*"));
    expect(await c.call("$subscribe", ["*"])).toMatchObject(denied("*")); // nothing declares it
    expect(await c.call("$subscribe", ["general"])).toMatchObject(denied("general"));
    expect(await c.call("$subscribe", ["room.General"])).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR, response: "Room names use a–z, 0–9 and -, up to 24 characters." });
    expect(await c.call("send", ["general", "hi"])).toMatchObject({ response: "Join #general first." });
    expect((await c.call("$subscribe", ["room.general"])).response).toEqual({ room: "general", members: ["Quinn"] });
    expect(await c.call("send", ["general", "   "])).toMatchObject({ response: "Say something first." });
    expect((await c.call("announce", ["hello"])).error).toBe(RPCErrorCode.ACCESS_DENIED);
  });

  it("publishes to the room but not to the sender, lets admins see every room, and limits sending", async () => {
    await using admin = await RawClient.connect(server.url);
    await using a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url, ClientType.GENERIC);
    await admin.call("login", ["Ops", "letmein"]);
    await a.call("login", ["Ann"]);
    const audit = await admin.waitFor((p) => p.source === PacketSource.BROADCAST && (p.data as { kind?: string }).kind === "audit");
    expect(audit.data).toMatchObject({ text: "Ann signed in" });
    await b.call("login", ["Ben"]);
    expect((await admin.call("$subscribe", ["room.*"])).error).toBeNull();
    await a.call("$subscribe", ["room.lab"]);
    await b.call("$subscribe", ["room.lab"]);
    const sent = await a.call("send", ["lab", "first!"]);
    expect(sent.response).toMatchObject({ kind: "message", room: "lab", user: "Ann", admin: false, text: "first!" });
    const got = await b.waitFor((p) => p.source === PacketSource.CHANNEL && (p.data as { kind?: string }).kind === "message");
    expect(got).toMatchObject({ channel: "room.lab", data: { text: "first!", user: "Ann" } });
    const watched = await admin.waitFor((p) => p.source === PacketSource.CHANNEL && (p.data as { text?: string }).text === "first!");
    expect(watched.channel).toBe("room.lab"); // through the pattern room.*, without joining
    expect(a.packets.some((p) => p.source === PacketSource.CHANNEL && (p.data as { kind?: string }).kind === "message")).toBe(false);

    const results = [];
    for (let i = 0; i < 5; i++) results.push((await a.call("send", ["lab", `more ${i}`])).error);
    expect(results).toEqual([null, null, null, null, RPCErrorCode.RATE_LIMIT_EXCEEDED]);

    await admin.call("announce", ["Maintenance at noon"]);
    const announced = await b.waitFor((p) => p.source === PacketSource.BROADCAST && (p.data as { kind?: string }).kind === "announcement");
    expect(announced.data).toMatchObject({ from: "Ops", text: "Maintenance at noon" });
    expect(b.packets.some((p) => (p.data as { kind?: string } | null)?.kind === "audit")).toBe(false); // admins only
  });

  it("limits rooms per person with its own message, and leave frees one", async () => {
    await using c = await RawClient.connect(server.url);
    await c.call("login", ["Rita"]);
    for (let i = 0; i < 8; i++) expect((await c.call("$subscribe", [`room.r${i}`])).error).toBeNull();
    expect(await c.call("$subscribe", ["room.r8"])).toMatchObject({ response: "You can be in 8 rooms at most — leave one first." });
    await c.call("$unsubscribe", ["room.r0"]);
    await c.call("leave", ["r0"]);
    expect((await c.call("$subscribe", ["room.r8"])).response).toEqual({ room: "r8", members: ["Rita"] });
  });

  it("refuses a bad PORT with a clear message", async () => {
    await expect(spawnServer(main, { PORT: "banana" })).rejects.toThrow(/PORT must be 0\.\.65535/);
  });
});
