import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { loadStaticFiles, serveStatic, silentLogger, WebSocketServer } from "../src/index.js";
import { TestHandler } from "./testHandler.js";

describe("serveStatic", () => {
  it("serves pages on the WebSocket port, 404s the rest, and still upgrades WebSockets on any path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "webshocket-static-"));
    writeFileSync(join(dir, "index.html"), "<h1>hi</h1>");
    writeFileSync(join(dir, "app.js"), "console.log(1)");
    await using server = new WebSocketServer({ port: 0, handler: new TestHandler(), logger: silentLogger });
    serveStatic(server, loadStaticFiles(dir));
    await server.start();
    const http = `http://127.0.0.1:${server.port}`;
    const page = await fetch(`${http}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toBe("<h1>hi</h1>");
    expect((await fetch(`${http}/app.js`)).headers.get("content-type")).toMatch(/javascript/);
    expect((await fetch(`${http}/missing`)).status).toBe(404);
    await using root = await RawClient.connect(server.url);
    await using onPage = await RawClient.connect(`${server.url}/index.html`);
    expect((await root.call("add", [1, 2])).response).toBe(3);
    expect((await onPage.call("add", [2, 2])).response).toBe(4);
  });
});
