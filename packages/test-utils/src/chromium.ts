import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** The Chromium to drive: `CHROMIUM_PATH`, or Debian's package. */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/**
 * Whether the browser tests can run. Under CI=true a missing Chromium is an error (never a silent
 * skip); locally the tests are skipped with a loud warning.
 */
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env["CI"] === "true") {
    throw new Error(`Chromium not found at ${CHROMIUM} (CI=true): install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  console.warn(`\n!!! SKIPPING the headless-Chromium tests: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH). CI fails here.\n`);
}

/**
 * Launches headless Chromium with flags for this closed network (no background networking, no
 * sandbox as root). Import from "@webshocket/test-utils/chromium": importing checks for Chromium.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Collects a page's uncaught errors and console errors, to assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

/** Where screenshots go: `test-artifacts/` next to the test folder of `testFileUrl` (git-ignored). */
export function artifactPath(testFileUrl: string, name: string): string {
  const dir = new URL("../test-artifacts/", testFileUrl);
  mkdirSync(dir, { recursive: true });
  return fileURLToPath(new URL(name, dir));
}
