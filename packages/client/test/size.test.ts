// The browser bundles against their budgets (issue 23), measured on the real minified bundles.
// `node scripts/size.mjs` prints the same numbers.
import { describe, expect, it } from "vitest";
import { measure, type BundleSize } from "../scripts/size.mjs";

const bundles = await measure();
const byName = (name: string): BundleSize => {
  const b = bundles.find((x) => x.name === name);
  if (!b) throw new Error(`no bundle ${name}`);
  return b;
};
const full = byName("webshocket-client");
const jsonOnly = byName("webshocket-client.json");

describe("browser bundle sizes", () => {
  it.each(bundles.map((b) => [b.name, b] as const))("%s is within its gzip budget", (_name, b) => {
    expect(b.gzip, `${b.file}: ${b.min} B minified, ${b.gzip} B gzip; budget ${b.budget} B`).toBeLessThanOrEqual(b.budget);
  });

  it.each(bundles.map((b) => [b.name, b] as const))("%s ships no schema compiler and no msgpackr", (_name, b) => {
    expect(b.inputs.filter((p) => /@sinclair[+/]typebox|msgpackr/.test(p))).toEqual([]);
    expect(b.inputs.some((p) => p.endsWith("protocol/src/validate.ts") || p.endsWith("protocol/src/packetSchema.ts"))).toBe(false);
    expect(b.code).not.toMatch(/new Function|TypeCompiler/);
  });

  it("the JSON-only bundle leaves every msgpack module out (tree-shaking)", () => {
    expect(jsonOnly.inputs.filter((p) => /msgpack|packMsgpack/i.test(p))).toEqual([]);
    expect(full.inputs.some((p) => p.endsWith("codecs/msgpackWire.ts"))).toBe(true);
    expect(jsonOnly.min).toBeLessThan(full.min);
  });
});
