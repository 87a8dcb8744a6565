// The streaming page in headless Chromium against the demo server (port 0): tokens render as they
// arrive, Stop cancels the generator on the server. Waits on selectors and events, never sleeps.
import { fileURLToPath } from "node:url";
import { ClientType } from "@webshocket/protocol";
import { RawClient, spawnServer } from "@webshocket/test-utils";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CANNED_REPLY } from "../src/mockTokens.js";
import { artifactPath, haveChromium, launchChromium, pageErrors } from "@webshocket/test-utils/chromium";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe.skipIf(!haveChromium)("the streaming page in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string): Promise<{ page: Page; errors: string[]; [Symbol.asyncDispose](): Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 960, height: 700 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = pageErrors(page);
    await page.goto(url);
    await page.locator("#status", { hasText: "Ready" }).waitFor();
    return { page, errors, [Symbol.asyncDispose]: () => context.close() };
  }

  const tokens = async (page: Page): Promise<number> => Number((await page.getAttribute("#output", "data-tokens")) ?? 0);

  it("renders tokens as they stream, and Stop cancels the generator on the server", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    await using tab = await open(`${server.url.replace(/^ws/, "http")}/?delay=100`);
    const { page } = tab;
    await page.click("#generate");
    await page.locator("#status", { hasText: /Streaming… ([89]|\d\d) tokens/ }).waitFor(); // the 8th word is "Streaming "
    expect(await page.locator("#output .caret").count()).toBe(1);
    expect(await page.textContent("#output")).toMatch(/^You asked: “How does streaming RPC work\?”\. Streaming/);
    await page.click("#stop");

    const stopped = await page.locator("#status", { hasText: /Stopped after \d+ tokens/ }).textContent();
    const shown = await tokens(page);
    expect(stopped).toBe(`Stopped after ${shown} tokens`);
    // The server's finally block ran, and said so: in the page (pushed packet), its log and stats().
    await page.locator("#server-note", { hasText: "cancelled" }).waitFor();
    expect(await page.textContent("#server-note")).toMatch(/^The generator was cancelled after \d+ tokens — its finally block ran\.$/);
    await vi.waitFor(() => expect(server.output()).toMatch(/generation cancelled after \d+ of \d+ tokens \(finally ran\)/));
    await using probe = await RawClient.connect(server.url, ClientType.GENERIC);
    expect((await probe.call("stats")).response).toEqual({ started: 1, completed: 0, cancelled: 1, running: 0 });
    expect(await tokens(page)).toBe(shown); // nothing arrived after Stop
    expect(shown).toBeLessThan(40);
    await page.screenshot({ path: artifactPath(import.meta.url, "streaming-stopped.png"), animations: "disabled" });
    expect(tab.errors).toEqual([]);
  }, 30_000);

  it("streams a whole answer to the end", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    await using tab = await open(`${server.url.replace(/^ws/, "http")}/?delay=2`);
    const { page } = tab;
    await page.fill("#prompt", "");
    await page.click("#generate");
    await page.locator("#status", { hasText: /Done — \d+ tokens/ }).waitFor();
    expect(await page.textContent("#output")).toBe(CANNED_REPLY);
    await page.locator("#server-note", { hasText: "finished" }).waitFor();
    await using probe = await RawClient.connect(server.url);
    expect((await probe.call("stats")).response).toEqual({ started: 1, completed: 1, cancelled: 0, running: 0 });
    await page.screenshot({ path: artifactPath(import.meta.url, "streaming-done.png"), animations: "disabled" });
    expect(tab.errors).toEqual([]);
  }, 30_000);
});
