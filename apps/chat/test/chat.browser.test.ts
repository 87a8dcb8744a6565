// The demo as people use it: the chat server started like `pnpm demo` does (on port 0), real pages in
// headless Chromium, each person in their own browser context. Waits on selectors, never sleeps.
import { copyFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { spawnServer, startTcpProxy } from "@webshocket/test-utils";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { artifactPath, haveChromium, launchChromium, pageErrors } from "@webshocket/test-utils/chromium";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const VIEWPORT = { width: 1180, height: 720 };

describe.skipIf(!haveChromium)("the chat page in headless Chromium", () => {
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  const errors = new Map<string, string[]>();

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A new person: their own browser context and page, at `url`. */
  async function visit(url: string, who: string): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors.set(who, pageErrors(page));
    await page.goto(url);
    return page;
  }

  async function signIn(page: Page, name: string, passcode?: string): Promise<void> {
    await page.fill("#name", name);
    if (passcode !== undefined) {
      await page.check("#admin");
      await page.fill("#passcode", passcode);
    }
    await page.click("#login-button");
    await page.locator("#view-title", { hasText: "# general" }).waitFor();
  }

  /** Types a message and waits until the page shows it as sent. */
  async function say(page: Page, text: string): Promise<void> {
    await page.fill("#text", text);
    await page.press("#text", "Enter");
    await page.locator("#messages .msg.mine", { hasText: text }).waitFor();
  }

  const message = (page: Page, text: string) => page.locator("#messages .msg", { hasText: text });

  it("two people chat in a room, an admin watches every room and announces", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    const http = server.url.replace(/^ws/, "http");
    await vi.waitFor(() => expect(server.output()).toContain(`open ${http}/ in your browser`));

    const ada = await visit(http, "ada");
    const bob = await visit(http, "bob");
    await ada.fill("#name", "Ada");
    await ada.screenshot({ path: artifactPath(import.meta.url, "chat-sign-in.png"), animations: "disabled" });
    await signIn(ada, "Ada");
    await signIn(bob, "Bob");

    await say(ada, "Hi Bob! Welcome to #general.");
    await message(bob, "Hi Bob! Welcome to #general.").waitFor();
    expect(await message(bob, "Hi Bob!").getAttribute("class")).toBe("msg"); // someone else's, not "mine"
    await say(bob, "Hey Ada, this is live: no refresh, no polling.");
    await message(ada, "no refresh, no polling").waitFor();
    expect(await ada.locator("#messages .msg").count()).toBe(2); // the sender's own message was not echoed back

    // An admin: the passcode from the server's console; the page lands in #general like everyone.
    const root = await visit(http, "root");
    await signIn(root, "root", "letmein");
    await ada.locator("#messages .sys", { hasText: "root joined #general" }).waitFor();
    await say(root, "Hello both. Admins see every room at once.");
    await message(ada, "Admins see every room").locator(".admin-tag").waitFor();
    await root.click("#all-rooms");
    await root.locator("#view-title", { hasText: "All rooms" }).waitFor();

    // Ada goes to a room root never joined: root's all-rooms view (pattern room.*) still gets it.
    await ada.fill("#join-room", "random");
    await ada.press("#join-room", "Enter");
    await ada.locator("#view-title", { hasText: "# random" }).waitFor();
    await say(ada, "Anyone around in #random?");
    const seen = message(root, "Anyone around in #random?");
    await seen.waitFor();
    expect(await seen.locator(".room-tag").textContent()).toBe("#random");
    expect(await message(bob, "Anyone around").count()).toBe(0); // Bob is not in #random
    await ada.click('button[data-view="general"]');
    await ada.locator("#view-title", { hasText: "# general" }).waitFor();

    // An announcement from the all-rooms view reaches everyone, as a banner.
    await root.fill("#text", "Welcome to the webshocket demo! Be nice, have fun.");
    await root.click("#send");
    for (const page of [ada, bob, root]) {
      await page.locator("#announcement", { hasText: "Welcome to the webshocket demo!" }).waitFor();
    }
    expect(await root.locator("#messages .sys.audit", { hasText: "Bob signed in" }).count()).toBe(0); // before root's time
    await ada.locator("#messages .sys.announce").waitFor();
    await ada.screenshot({ path: artifactPath(import.meta.url, "chat.png"), animations: "disabled" });
    await root.screenshot({ path: artifactPath(import.meta.url, "chat-admin.png"), animations: "disabled" });
    if (process.env["UPDATE_SCREENSHOT"] === "1") copyFileSync(artifactPath(import.meta.url, "chat.png"), fileURLToPath(new URL("../../../docs/images/chat.png", import.meta.url)));

    // A late arrival shows up in the admin's view through the admins-only broadcast.
    const cleo = await visit(http, "cleo");
    await signIn(cleo, "Cleo");
    await root.locator("#messages .sys.audit", { hasText: "Cleo signed in" }).waitFor();
    expect(await bob.locator("#messages .sys.audit").count()).toBe(0);

    for (const [who, list] of errors) expect(list, who).toEqual([]);
  }, 60_000);

  it("survives a cut connection without signing in again, and shows what was said meanwhile", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    const http = server.url.replace(/^ws/, "http");
    await vi.waitFor(() => expect(server.output()).toContain(`open ${http}/ in your browser`));
    // Bob reaches the server through a TCP proxy the test cuts (Chromium's offline mode leaves open WebSockets alone).
    await using proxy = await startTcpProxy(server.port);
    const ada = await visit(http, "ada");
    const bob = await visit(`http://127.0.0.1:${proxy.port}/`, "bob");
    await signIn(ada, "Ada");
    await signIn(bob, "Bob");
    await say(ada, "before the tunnel");
    await message(bob, "before the tunnel").waitFor();

    proxy.cut();
    await bob.locator("#status", { hasText: "Reconnecting" }).waitFor(); // the page saw the drop
    await say(ada, "said while Bob was away");
    await say(ada, "and once more");
    await vi.waitFor(() => expect(proxy.waiting).toBeGreaterThan(0), { timeout: 15_000 }); // Bob's page is trying again
    proxy.restore();

    await message(bob, "said while Bob was away").waitFor();
    await message(bob, "and once more").waitFor();
    await bob.locator("#status").waitFor({ state: "hidden" });
    expect(await bob.locator("#login").isHidden()).toBe(true); // no sign-in again
    expect(await message(bob, "before the tunnel").count()).toBe(1); // nothing shown twice
    await say(bob, "back, and nothing lost");
    await message(ada, "back, and nothing lost").waitFor();
    expect(errors.get("bob")).toEqual([]);
  }, 60_000);

  it("shows a friendly message when someone sends too fast", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    const page = await visit(server.url.replace(/^ws/, "http"), "dana");
    await signIn(page, "Dana");
    for (let i = 1; i <= 5; i++) await say(page, `message ${i}`);
    await page.fill("#text", "one too many");
    await page.press("#text", "Enter");
    const notice = page.locator("#notice");
    await notice.waitFor();
    expect(await notice.textContent()).toBe("Slow down — you can send 5 messages per 10 seconds.");
    expect(await page.inputValue("#text")).toBe("one too many"); // kept, to send again later
    expect(await message(page, "one too many").count()).toBe(0);
    await page.screenshot({ path: artifactPath(import.meta.url, "chat-rate-limit.png"), animations: "disabled" });
    expect(errors.get("dana")).toEqual([]);
  }, 30_000);

  it("refuses a wrong admin passcode on the sign-in form", async () => {
    await using server = await spawnServer(main, { PORT: "0", ADMIN_PASSCODE: "s3cret" });
    const page = await visit(server.url.replace(/^ws/, "http"), "eve");
    await page.fill("#name", "Eve");
    await page.check("#admin");
    await page.fill("#passcode", "letmein");
    await page.click("#login-button");
    await page.locator("#login-error", { hasText: "That is not the admin passcode." }).waitFor();
    expect(await page.locator("#app").isHidden()).toBe(true);
    await signIn(page, "Eve", "s3cret");
    expect(await page.locator("#admin-nav").isVisible()).toBe(true);
    expect(errors.get("eve")).toEqual([]);
  }, 30_000);

  it("runs the seed's plain-JavaScript snippet (no library) and shows 30", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    const page = await visit(`${server.url.replace(/^ws/, "http")}/plain.html`, "plain");
    await page.locator("#result", { hasText: "Result: 30" }).waitFor();
    expect(await page.locator("#source").textContent()).toContain("packet.rpc.response");
    await page.screenshot({ path: artifactPath(import.meta.url, "plain.png"), fullPage: true, animations: "disabled" });
    expect(errors.get("plain")).toEqual([]);
  }, 30_000);
});
