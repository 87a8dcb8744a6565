// Fixture projects compiled by tsc against the built packages (dist): what a user's project sees.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

async function compile(fixture: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", join(here, "types-fixtures", fixture)], { encoding: "utf8" });
    return "";
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

describe("type fixtures", () => {
  it("a DOM-only project (lib ES2022 + DOM, no Node types, skipLibCheck off) imports a handler's type and types its client", async () => {
    expect(await compile("dom")).toBe("");
  }, 120_000);

  it("an experimentalDecorators project decorates with @rpcMethod and @rateLimit, schema checks included", async () => {
    expect(await compile("legacy-decorators")).toBe("");
  }, 120_000);
});
