import { describe, expect, it } from "vitest";
import { exceedsJsonDepth } from "./jsonDepth.js";

const nested = (n: number, open = "[", close = "]"): string => `${open.repeat(n)}${close.repeat(n)}`;

describe("exceedsJsonDepth", () => {
  it("counts nesting, not the number of containers", () => {
    expect(exceedsJsonDepth(nested(3), 3)).toBe(false);
    expect(exceedsJsonDepth(nested(4), 3)).toBe(true);
    expect(exceedsJsonDepth(`[${"[],".repeat(1000)}[]]`, 2)).toBe(false);
    expect(exceedsJsonDepth('{"a":{"b":{"c":{}}}}', 3)).toBe(true);
    expect(exceedsJsonDepth('{"a":[{"b":[]}]}', 4)).toBe(false);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    expect(exceedsJsonDepth(`["${"[".repeat(50)}"]`, 2)).toBe(false);
    expect(exceedsJsonDepth(`["\\"${"{".repeat(50)}\\\\"]`, 2)).toBe(false);
    expect(exceedsJsonDepth(`["\\\\", ${nested(5)}]`, 5)).toBe(true);
  });

  it("matches the limit the codecs use at its edge", () => {
    expect(exceedsJsonDepth(nested(256), 256)).toBe(false);
    expect(exceedsJsonDepth(nested(257), 256)).toBe(true);
    expect(exceedsJsonDepth(nested(1_000_000), 256)).toBe(true);
  });
});
