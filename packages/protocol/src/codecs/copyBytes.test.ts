import { describe, expect, it } from "vitest";
import { copyBytes, viewBytes } from "./copyBytes.js";

describe("copyBytes / viewBytes", () => {
  it("copies into the target at the offset, leaving the rest", () => {
    const target = new Uint8Array([9, 9, 9, 9, 9]);
    copyBytes(target, Uint8Array.of(1, 2), 2);
    expect([...target]).toEqual([9, 9, 1, 2, 9]);
  });

  it("throws like TypedArray#set when the source does not fit", () => {
    expect(() => copyBytes(new Uint8Array(2), Uint8Array.of(1, 2, 3), 0)).toThrow(RangeError);
  });

  it("returns a view sharing the memory, not a copy", () => {
    const bytes = Uint8Array.of(1, 2, 3, 4);
    const view = viewBytes(bytes, 1, 3);
    expect([...view]).toEqual([2, 3]);
    bytes[1] = 7;
    expect(view[0]).toBe(7);
    expect(view.constructor).toBe(Uint8Array);
  });
});
