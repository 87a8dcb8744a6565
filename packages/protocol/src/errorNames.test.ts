import { describe, expect, it } from "vitest";
import * as protocol from "./index.js";
import { RPCError, WebSocketError } from "./errors.js";

const classes = Object.entries(protocol).filter(
  (entry): entry is [string, typeof WebSocketError] =>
    typeof entry[1] === "function" && (entry[1] === WebSocketError || entry[1].prototype instanceof WebSocketError),
);

describe("error names survive minification", () => {
  it("finds every error class", () => {
    expect(classes.length).toBe(15);
  });

  it.each(classes)("%s sets its name from a literal, not its constructor's name", (exported, Cls) => {
    expect(Object.hasOwn(Cls, "errorName")).toBe(true);
    expect(Cls.errorName).toBe(exported);
    // Renamed as a minifier would: the name stays.
    Object.defineProperty(Cls, "name", { value: "kn", configurable: true });
    try {
      const err = new Cls("boom");
      expect(err.name).toBe(exported);
      expect(String(err)).toBe(`${exported}: boom`);
    } finally {
      Object.defineProperty(Cls, "name", { value: exported, configurable: true });
    }
  });

  it("a subclass declared elsewhere is named after its constructor, as before", () => {
    class RedisUnavailableError extends WebSocketError {}
    class QuotaError extends RPCError {}
    expect(new RedisUnavailableError("x").name).toBe("RedisUnavailableError");
    expect(new QuotaError("x").name).toBe("QuotaError");
  });
});
