import { fileURLToPath } from "node:url";
import { spawnServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { isNative } from "../src/index.js";

const fixture = fileURLToPath(new URL("./fixtures/floodServer.mjs", import.meta.url));

describe("the uWebSockets.js core", () => {
  it("is the native binary in this test run", () => {
    expect(isNative).toBe(true);
  });

  it("warns loudly when the package falls back to its pure-JS implementation", async () => {
    // The registry build switches to its fallback when this variable is set, exactly as when its binary cannot load.
    await using server = await spawnServer(fixture, { UWS_USE_FALLBACK: "1" }, 15_000, undefined);
    expect(server.output()).toMatch(/native uWebSockets\.js binary did NOT load/);
  });

  it("does not warn when the native core runs", async () => {
    await using server = await spawnServer(fixture, {}, 15_000, undefined);
    expect(server.output()).not.toMatch(/did NOT load/);
  });
});
