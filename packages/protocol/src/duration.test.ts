import { describe, expect, it } from "vitest";
import { DURATION_FORMATS, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["2d", 172_800_000],
    ["1.5s", 1_500],
    [" 10s ", 10_000],
    ["10 s", 10_000],
  ])("%j is %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it("takes finite positive numbers as milliseconds", () => {
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration(0.5)).toBe(0.5);
  });

  it.each(["", "5", "5x", "-1s", "0s", "0ms", "1.5.2s", "s", "1 h 2m", "1e3s", "5M", "five s"])(
    "rejects the string %j with a RangeError naming the formats",
    (input) => {
      expect(() => parseDuration(input)).toThrow(RangeError);
      expect(() => parseDuration(input)).toThrow(DURATION_FORMATS);
      expect(() => parseDuration(input)).toThrow(/"500ms", "30s", "5m", "1h", "2d"/);
    },
  );

  it.each([Number.NaN, 0, -1, Number.POSITIVE_INFINITY])("rejects the number %d", (input) => {
    expect(() => parseDuration(input)).toThrow(RangeError);
    expect(() => parseDuration(input)).toThrow(DURATION_FORMATS);
  });

  it("rejects values of other types instead of guessing", () => {
    expect(() => parseDuration(null as unknown as string)).toThrow(RangeError);
    expect(() => parseDuration({} as unknown as string)).toThrow(RangeError);
  });
});
