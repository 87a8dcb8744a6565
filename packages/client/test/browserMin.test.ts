// The minified bundles (as in dist/browser/*.min.js) in headless Chromium: they talk to a real server
// in both formats, and their errors keep their names although the minifier renamed the classes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { haveChromium, launchChromium, pageErrors } from "@webshocket/test-utils/chromium";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measure } from "../scripts/size.mjs";
import { closedPort } from "./helpers/freePort.js";
import { startServer } from "./helpers/testHandler.js";

/** Runs in the page: `bundle` and the formats to try come from the query string. */
const SCENARIO = String.raw`
const params = new URL(location.href).searchParams;
const { WebSocketClient, InvalidURIError, ConnectionFailedError, RPCTimeoutError, RPCError, WebSocketError } = await import(params.get("bundle"));
const url = params.get("ws");
const out = { formats: {}, errors: {} };
const describe = (e) => ({ name: e.name, string: String(e).split(":")[0], ctor: e.constructor.name, code: e.code });
try {
  for (const format of params.get("formats").split(",")) {
    const client = await new WebSocketClient(url, { format }).connect();
    const r = { format: client.format };
    r.add = (await client.sendRpc("add", 10, 20)).data;
    r.stream = [];
    for await (const p of client.streamRpc("count_to", 3)) r.stream.push(p.data);
    r.missing = (await client.call("nope", [], { raiseOnError: true }).catch((e) => describe(e)));
    r.timeout = await client.call("never", [], { timeout: "50ms" }).catch((e) => describe(e));
    await client.close();
    out.formats[format] = r;
  }
  out.defaultFormat = new WebSocketClient(url).format;
  out.errors.invalidUri = (() => { try { new WebSocketClient("http://example.com"); } catch (e) { return describe(e); } })();
  out.errors.connectionFailed = await new WebSocketClient(params.get("closed")).connect().catch((e) => describe(e));
  out.errors.msgpackInJsonBuild = (() => { try { new WebSocketClient(url, { format: "msgpack" }); return "accepted"; } catch (e) { return e.name; } })();
  out.instances = [new RPCError("x") instanceof WebSocketError, new InvalidURIError("x").name, new ConnectionFailedError("x").name, new RPCTimeoutError("x").name];
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__result = out;
`;

describe.skipIf(!haveChromium)("minified browser bundles in headless Chromium", () => {
  let browser: Browser;
  let http: Server;
  let httpUrl: string;
  let wsUrl: string;
  let closedUrl: string;
  let closeWs: () => Promise<void>;
  const files = new Map<string, string>();

  beforeAll(async () => {
    for (const b of await measure()) files.set(`/${b.name}.min.js`, b.code);
    const ws = await startServer();
    wsUrl = ws.server.url;
    closeWs = () => ws.server.close();
    closedUrl = `ws://127.0.0.1:${await closedPort()}`;
    http = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const code = files.get(path);
      if (code !== undefined) res.writeHead(200, { "content-type": "text/javascript" }).end(code);
      else if (path === "/scenario.js") res.writeHead(200, { "content-type": "text/javascript" }).end(SCENARIO);
      else if (path === "/") {
        // No eval anywhere: the page forbids it.
        res
          .writeHead(200, { "content-type": "text/html", "content-security-policy": "script-src 'self'" })
          .end(`<!doctype html><title>webshocket</title><link rel="icon" href="data:,"><script type="module" src="/scenario.js"></script>`);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
    await closeWs?.();
  });

  async function run(bundle: string, formats: string[]): Promise<Record<string, unknown>> {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const query = new URLSearchParams({ bundle, formats: formats.join(","), ws: wsUrl, closed: closedUrl });
    await page.goto(`${httpUrl}/?${query}`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 20_000 });
    const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as Record<string, unknown>;
    await page.close();
    expect(result["error"]).toBeUndefined();
    // Chromium logs the refused connection of the ConnectionFailedError case.
    expect(errors.filter((e) => !e.includes("WebSocket connection to"))).toEqual([]);
    return result;
  }

  const expectedCall = (format: string) => ({
    format,
    add: 30,
    stream: [1, 2, 3],
    missing: { name: "RPCMethodNotFoundError", string: "RPCMethodNotFoundError", ctor: expect.not.stringMatching(/^RPCMethodNotFoundError$/), code: "RPC_METHOD_NOT_FOUND" },
    timeout: { name: "RPCTimeoutError", string: "RPCTimeoutError", ctor: expect.not.stringMatching(/^RPCTimeoutError$/), code: "RPC_TIMEOUT" },
  });
  const expectedErrors = {
    invalidUri: { name: "InvalidURIError", string: "InvalidURIError", ctor: expect.not.stringMatching(/^InvalidURIError$/), code: "INVALID_URI" },
    connectionFailed: {
      name: "ConnectionFailedError",
      string: "ConnectionFailedError",
      ctor: expect.not.stringMatching(/^ConnectionFailedError$/),
      code: "CONNECTION_FAILED",
    },
  };

  it("webshocket-client.min.js: msgpack and JSON, error names intact", async () => {
    const result = await run("/webshocket-client.min.js", ["msgpack", "json"]);
    expect(result["formats"]).toEqual({ msgpack: expectedCall("msgpack"), json: expectedCall("json") });
    expect(result["defaultFormat"]).toBe("msgpack");
    expect(result["errors"]).toEqual({ ...expectedErrors, msgpackInJsonBuild: "accepted" });
    expect(result["instances"]).toEqual([true, "InvalidURIError", "ConnectionFailedError", "RPCTimeoutError"]);
  }, 30_000);

  it("webshocket-client.json.min.js: JSON by default, no msgpack, error names intact", async () => {
    const result = await run("/webshocket-client.json.min.js", ["json"]);
    expect(result["formats"]).toEqual({ json: expectedCall("json") });
    expect(result["defaultFormat"]).toBe("json");
    expect(result["errors"]).toEqual({ ...expectedErrors, msgpackInJsonBuild: "TypeError" });
    expect(result["instances"]).toEqual([true, "InvalidURIError", "ConnectionFailedError", "RPCTimeoutError"]);
  }, 30_000);
});
