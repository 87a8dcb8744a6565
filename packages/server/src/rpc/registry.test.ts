import { describe, expect, it } from "vitest";
import { bindArguments } from "./bindArguments.js";
import { createEntry } from "./registry.js";

/* eslint-disable @typescript-eslint/no-unused-vars */
const signatures: Record<string, Function> = {
  "(c, a, b)": (c: unknown, a: unknown, b: unknown) => 0,
  "(c)": (c: unknown) => 0,
  "(c, a, b = 1)": (c: unknown, a: unknown, b = 1) => 0,
  "(c, a = 1, b)": function (c: unknown, a = 1, b: unknown) { return 0; },
  "(c, a, ...rest)": (c: unknown, a: unknown, ...rest: unknown[]) => 0,
  "(c, a = 1, ...rest)": (c: unknown, a = 1, ...rest: unknown[]) => 0,
  "(c, { x }, b)": (c: unknown, { x }: { x: unknown }, b: unknown) => 0,
};
/* eslint-enable @typescript-eslint/no-unused-vars */

describe("createEntry's positional range (dispatch's fast path)", () => {
  it.each(Object.entries(signatures))("%s: a positional call fits the range exactly when bindArguments accepts it", (_name, fn) => {
    const entry = createEntry("m", fn, {});
    for (let n = 0; n <= 5; n++) {
      const args = Array.from({ length: n }, (_, i) => i);
      const fits = n >= entry.minArgs && n <= entry.maxArgs;
      expect(fits, `${n} argument(s)`).toBe(bindArguments(entry.params, args, {}).ok);
    }
  });

  it("reads the range from the declaration", () => {
    // Any trailing parameter may be left out (JavaScript's rule): the least is always 0.
    expect(createEntry("m", signatures["(c, a = 1, b)"] as Function, {})).toMatchObject({ minArgs: 0, maxArgs: 2 });
    expect(createEntry("m", signatures["(c, a, ...rest)"] as Function, {})).toMatchObject({ minArgs: 0, maxArgs: Number.POSITIVE_INFINITY });
    expect(createEntry("m", signatures["(c, a, b = 1)"] as Function, {})).toMatchObject({ minArgs: 0, maxArgs: 2 });
  });
});
