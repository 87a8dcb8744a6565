// Issue 21's "done when": a fresh project built only from the packed tarballs and what the READMEs
// show writes a handler, a typed Node client and a bundled browser client with no casts and no
// `any`, under strict TypeScript (skipLibCheck off, a DOM-only config for the browser code), and
// every call that type-checks works at run time.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { launchChromium, haveChromium, pageErrors } from "@webshocket/test-utils/chromium";
import { spawnServer } from "@webshocket/test-utils";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFreshProject, fixture, run, tsc, type FreshProject } from "./freshProject.js";

const SOURCES = ["handler.ts", "server.ts", "nodeClient.ts", "browserClient.ts"];
const SETUP_MS = 300_000;

describe("a fresh project from the packed tarballs", () => {
  let project: FreshProject;
  let compiled: Promise<unknown>;
  beforeAll(async () => {
    project = await createFreshProject();
    // Compiled once (the run tests use its output); the compile test reports its errors.
    compiled = run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project.dir }).catch((error: unknown) => error);
    await compiled;
  }, SETUP_MS);
  afterAll(async () => {
    await project?.[Symbol.asyncDispose]();
  });

  it("writes no casts and no any", async () => {
    for (const file of SOURCES) {
      const code = (await readFile(join(fixture, "src", file), "utf8")).replace(/\/\/.*$/gm, "");
      expect(code, file).not.toMatch(/\bas\s+(?!const\b)[A-Za-z{[(]/);
      expect(code, file).not.toMatch(/\bany\b/);
      expect(code, file).not.toMatch(/(?:[=(,]|return)\s*<[A-Za-z][\w.]*>/); // old-style <T>value casts
    }
  });

  it("type-checks and compiles the server and the Node client (strict, skipLibCheck off)", async () => {
    const outcome = await compiled;
    if (outcome instanceof Error) throw outcome;
  });

  it("type-checks the browser client against DOM types only (no Node types, skipLibCheck off)", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.browser.json"], { cwd: project.dir });
  }, SETUP_MS);

  it("runs: every call the typed Node client makes works", async () => {
    await using server = await spawnServer(join(project.dir, "dist", "server.js"));
    const { stdout } = await run(process.execPath, [join(project.dir, "dist", "nodeClient.js"), server.url], { cwd: project.dir });
    expect(JSON.parse(stdout)).toEqual({
      hello: "hello ada",
      add: 5,
      addOne: 2,
      again: "abab",
      againOnce: "ab",
      countdown: [3, 2, 1],
      initial: { author: "ada", text: "first" },
      pushed: [{ author: "ada", text: "second" }],
    });
  }, SETUP_MS);

  it.skipIf(!haveChromium)("runs the browser client bundled from the installed package in Chromium", async () => {
    await using server = await spawnServer(join(project.dir, "dist", "server.js"));
    const bundle = await build({
      entryPoints: [join(project.dir, "src", "browserClient.ts")],
      absWorkingDir: project.dir,
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "fresh",
      write: false,
      logLevel: "silent",
    });
    const code = bundle.outputFiles[0]?.text ?? "";
    expect(code).not.toMatch(/require\("(node:)?(fs|net|http|crypto|buffer)"\)/);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors = pageErrors(page);
      await page.addScriptTag({ content: code });
      const result = await page.evaluate((url) => (globalThis as unknown as { fresh: { run(u: string): Promise<string> } }).fresh.run(url), server.url);
      expect(result).toBe("hello grace 42 hahaha");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, SETUP_MS);
});
