// The browser bundle in a real headless Chromium: a page loads it with <script type="module"> and
// talks to a real @webshocket/server. Under CI=true a missing Chromium fails; locally it skips loudly.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bundleOptions } from "../scripts/bundle.mjs";
import { startServer, type TestHandler } from "./helpers/testHandler.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env["CI"] === "true") {
    throw new Error(`Chromium not found at ${CHROMIUM} (CI=true): install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  console.warn(`\n!!! SKIPPING the headless-Chromium test: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH). CI fails here.\n`);
}

/** Runs in the page: exercises the bundle and returns what it saw. */
const SCENARIO = String.raw`
import { WebSocketClient, PacketSource, RPCTimeoutError } from "/webshocket-client.js";
const url = new URL(location.href).searchParams.get("ws");
const out = {};
try {
  for (const format of ["msgpack", "json"]) {
    const client = await new WebSocketClient(url, { format }).connect();
    const r = {};
    r.add = (await client.sendRpc("add", 10, 20)).data;
    r.multiply = (await client.call("multiply", [3, 7])).data;
    r.kwargs = (await client.call("greet", ["Ada"], { kwargs: { punctuation: "?" } })).data;
    r.missing = (await client.sendRpc("nope")).rpc.error;
    r.stream = [];
    for await (const p of client.streamRpc("count_to", 4)) r.stream.push(p.data);
    r.joined = (await client.sendRpc("join", "room-" + format)).data;
    await client.sendRpc("say", "room-" + format, "hello from " + format);
    const ch = await client.recv(5);
    r.channel = { source: ch.source, channel: ch.channel, data: ch.data, isChannel: ch.source === PacketSource.CHANNEL };
    for await (const p of client.streamRpc("ticker", "browser-" + format)) if (p.data === 2) break;
    r.typed = await client.typed().add(1, 2);
    r.timeout = await client.call("never", [], { timeout: "50ms" }).catch((e) => e instanceof RPCTimeoutError);
    r.state = client.state;
    await client.close();
    r.closedState = client.state;
    out[format] = r;
  }
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__result = out;
`;

describe.skipIf(!haveChromium)("browser bundle in headless Chromium", () => {
  let browser: Browser;
  let http: Server;
  let httpUrl: string;
  let wsUrl: string;
  let handler: TestHandler;
  let closeWs: () => Promise<void>;
  let bundle: string;

  beforeAll(async () => {
    const result = await build({ ...bundleOptions, write: false, outfile: "webshocket-client.js", metafile: true });
    bundle = result.outputFiles[0]?.text ?? "";
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => /node_modules\/(\.pnpm\/)?ws[@/]/.test(p))).toBe(false);
    expect(inputs.some((p) => p.startsWith("node:"))).toBe(false);

    const ws = await startServer();
    handler = ws.handler;
    wsUrl = ws.server.url;
    closeWs = () => ws.server.close();

    http = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/webshocket-client.js") {
        res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
      } else if (path === "/scenario.js") {
        res.writeHead(200, { "content-type": "text/javascript" }).end(SCENARIO);
      } else if (path === "/" || path === "/csp") {
        // /csp forbids eval: the protocol's validator must fall back from code generation.
        const headers: Record<string, string> = { "content-type": "text/html" };
        if (path === "/csp") headers["content-security-policy"] = "script-src 'self'";
        res.writeHead(200, headers).end(`<!doctype html><title>webshocket</title><link rel="icon" href="data:,"><script type="module" src="/scenario.js"></script>`);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
    await closeWs?.();
  });

  it.each(["/", "/csp"])("RPC, streaming, cancellation and channels work from a module script (%s)", async (path) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${httpUrl}${path}?ws=${encodeURIComponent(wsUrl)}`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 20_000 });
    const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as Record<string, unknown>;
    await page.close();
    expect(result["error"]).toBeUndefined();
    expect(errors).toEqual([]);
    for (const format of ["msgpack", "json"]) {
      expect(result[format]).toEqual({
        add: 30,
        multiply: 21,
        kwargs: "Hello, Ada?",
        missing: -32601,
        stream: [1, 2, 3, 4],
        joined: true,
        channel: { source: 2, channel: `room-${format}`, data: `hello from ${format}`, isChannel: true },
        typed: 3,
        timeout: true,
        state: 3,
        closedState: 4,
      });
      // Leaving the loop cancelled the generator on the server.
      await vi.waitFor(() => expect(handler.finalized).toContain(`browser-${format}`));
    }
    handler.finalized.length = 0;
  }, 30_000);
});
