import { readFileSync } from "node:fs";
import { ClientType } from "@webshocket/protocol";
import { RawClient, requireNginx, startNginx, type NginxServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import type { WebSocketServer, WebSocketServerOptions } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";
import { AddressHandler } from "./addressHandler.js";

/** The nginx server block of docs/deployment.md: what the guide shows is what runs here. */
function guideConfig(): string {
  const doc = readFileSync(new URL("../../../docs/deployment.md", import.meta.url), "utf8");
  const block = /<!-- nginx-config -->\s*```nginx\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (block === undefined) throw new Error("docs/deployment.md has no <!-- nginx-config --> ```nginx block");
  return block;
}

/** Replaces exactly one match, so the guide cannot drift from what the test swaps. */
function swap(text: string, pattern: RegExp, replacement: string): string {
  const matches = text.match(new RegExp(pattern.source, "g")) ?? [];
  if (matches.length !== 1) throw new Error(`expected one ${pattern} in the guide's nginx block, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/** nginx's idle limit for the test (the guide says 60 s); the server pings sooner at idleTimeout 8. */
const READ_TIMEOUT_S = 10;

async function nginxFor(server: WebSocketServer): Promise<NginxServer> {
  let http = guideConfig();
  http = swap(http, /listen 443 ssl;/, "listen 127.0.0.1:{{port}} ssl;");
  http = swap(http, /ssl_certificate\s+\S+;/, "ssl_certificate {{cert}};");
  http = swap(http, /ssl_certificate_key\s+\S+;/, "ssl_certificate_key {{key}};");
  http = swap(http, /http:\/\/127\.0\.0\.1:5000;/, `http://127.0.0.1:${server.port};`);
  http = swap(http, /proxy_read_timeout 60s;/, `proxy_read_timeout ${READ_TIMEOUT_S}s;`);
  return startNginx({ http });
}

/** A client of nginx over wss://, verifying nginx's self-signed certificate, from `localAddress`. */
function connectThrough(nginx: NginxServer, localAddress = "127.0.0.1", headers: Record<string, string> = {}): Promise<RawClient> {
  return RawClient.connect(`wss://127.0.0.1:${nginx.port}/`, ClientType.FRAMEWORK, { ca: nginx.certificate, localAddress, headers });
}

describe.skipIf(!requireNginx("nginx proxy tests"))("behind nginx (TLS terminated, the guide's config)", () => {
  async function addressThrough(options: WebSocketServerOptions): Promise<string> {
    const handler = new AddressHandler();
    await using server = await startServer({ handler, ...options });
    await using nginx = await nginxFor(server);
    // The client comes from 127.0.0.2 (loopback), nginx from 127.0.0.1; the client also claims an address.
    await using client = await connectThrough(nginx, "127.0.0.2", { "X-Forwarded-For": "6.6.6.6" });
    const address = await handler.next();
    await client.close();
    return address;
  }

  it("shows the client's address with trustProxy, the proxy's without", async () => {
    expect(await addressThrough({ trustProxy: ["127.0.0.1", "::1"] })).toBe("127.0.0.2");
    expect(await addressThrough({})).toBe("127.0.0.1");
  });

  it("answers RPC calls over wss:// through nginx", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using nginx = await nginxFor(server);
    await using client = await connectThrough(nginx);
    expect((await client.call("add", [2, 3])).response).toBe(5);
  });

  it("keeps an idle connection open past nginx's read timeout with pings; without pings nginx cuts it", async () => {
    await using pinging = await startServer({ handler: new TestHandler(), idleTimeout: 8 });
    await using silent = await startServer({ handler: new TestHandler(), idleTimeout: 0 });
    await using nginxA = await nginxFor(pinging);
    await using nginxB = await nginxFor(silent);
    await using idle = await connectThrough(nginxA);
    await using control = await connectThrough(nginxB);
    const opened = Date.now();
    let idleClosed = false;
    void idle.closed.then(() => (idleClosed = true));
    let pings = 0;
    // Wait for the first server ping after a whole read timeout (and 2 s) of no application traffic.
    await new Promise<void>((resolve) =>
      idle.ws.on("ping", () => {
        pings++;
        if (Date.now() - opened > (READ_TIMEOUT_S + 2) * 1000) resolve();
      }),
    );
    // The control connection, silent on both sides, was closed by nginx meanwhile: the read timeout is real.
    const closed = await control.closed;
    expect(closed.code).toBe(1006);
    expect(idleClosed).toBe(false);
    expect(pings).toBeGreaterThanOrEqual(2);
    expect((await idle.call("add", [1, 1])).response).toBe(2);
  }, 60_000);
});
