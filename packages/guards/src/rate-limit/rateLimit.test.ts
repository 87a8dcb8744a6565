import { describe, expect, it } from "vitest";
import { getRateLimit, normalizeRateLimit, RATE_LIMIT, rateLimit, type RateLimitConfig } from "./rateLimit.js";

/** Stand-in for the server's `@rpcMethod`: marks the function and, like a registry, reads its rate limit lazily. */
const RPC_METHOD = Symbol.for("test.rpcMethod");
const registered: Array<{ name: string; limit: RateLimitConfig | undefined }> = [];
function rpcMethod(alias?: string) {
  return (value: (...args: any[]) => unknown, context: ClassMethodDecoratorContext): void => {
    const name = alias ?? String(context.name);
    Object.defineProperty(value, RPC_METHOD, { value: name });
    context.addInitializer(function () {
      registered.push({ name, limit: getRateLimit(value) });
    });
  };
}

describe("@rateLimit", () => {
  class Handler {
    @rateLimit({ limit: 5, period: "1m" })
    @rpcMethod()
    outer(): string {
      return "outer";
    }

    @rpcMethod("renamed")
    @rateLimit({ limit: 100, period: "10s", disconnectOnLimitExceeded: true })
    inner(): string {
      return "inner";
    }

    @rateLimit({ limit: 1 })
    alone(): string {
      return "alone";
    }

    @rpcMethod()
    free(): string {
      return "free";
    }

    @rateLimit({ limit: 2 })
    withThis(this: Handler, conn: { uid: string }, n: number): Promise<string> {
      return Promise.resolve(`${this.free()}:${conn.uid}:${n}`);
    }

    @rateLimit({ limit: 3 })
    static staticMethod(): number {
      return 3;
    }
  }

  it("attaches a normalized config with @rateLimit above @rpcMethod", () => {
    expect(getRateLimit(Handler.prototype.outer)).toEqual({
      limit: 5,
      periodMs: 60_000,
      period: "1m",
      disconnectOnLimitExceeded: false,
    });
    expect((Handler.prototype.outer as unknown as Record<symbol, unknown>)[RPC_METHOD]).toBe("outer");
  });

  it("attaches a normalized config with @rateLimit below @rpcMethod", () => {
    expect(getRateLimit(Handler.prototype.inner)).toEqual({
      limit: 100,
      periodMs: 10_000,
      period: "10s",
      disconnectOnLimitExceeded: true,
    });
    expect((Handler.prototype.inner as unknown as Record<symbol, unknown>)[RPC_METHOD]).toBe("renamed");
  });

  it("is seen by a registry that reads it at instance creation, in both orders", () => {
    registered.length = 0;
    new Handler();
    const byName = Object.fromEntries(registered.map((r) => [r.name, r.limit?.limit]));
    expect(byName).toEqual({ outer: 5, renamed: 100, free: undefined });
  });

  it("decorates methods with a `this` type and static methods", async () => {
    expect(getRateLimit(Handler.prototype.withThis)?.limit).toBe(2);
    expect(getRateLimit(Handler.staticMethod)?.limit).toBe(3);
    await expect(new Handler().withThis({ uid: "u" }, 1)).resolves.toBe("free:u:1");
  });

  it("does not wrap the method", () => {
    const h = new Handler();
    expect(h.outer()).toBe("outer");
    expect(h.alone()).toBe("alone");
    expect(Handler.prototype.alone.name).toBe("alone");
  });

  it("defaults to 1s and no disconnect", () => {
    expect(getRateLimit(Handler.prototype.alone)).toEqual({
      limit: 1,
      periodMs: 1000,
      period: "1s",
      disconnectOnLimitExceeded: false,
    });
    expect(Object.isFrozen(getRateLimit(Handler.prototype.alone))).toBe(true);
  });

  it("uses the shared symbol, non-enumerable", () => {
    expect(RATE_LIMIT).toBe(Symbol.for("webshocket.rateLimit"));
    expect(Object.keys(Handler.prototype.outer)).toEqual([]);
  });

  it("works as a plain function on a standalone function, returning it", () => {
    const fn = async (x: number): Promise<number> => x * 2;
    const same = rateLimit({ limit: 3, period: 500 })(fn);
    expect(same).toBe(fn);
    expect(getRateLimit(fn)).toEqual({ limit: 3, periodMs: 500, period: 500, disconnectOnLimitExceeded: false });
  });

  it("keeps a key function, and leaves it out when not given", () => {
    type Conn = { uid: string; state: { user?: string } };
    const key = (conn: Conn): string => conn.state.user ?? conn.uid;
    const config = normalizeRateLimit({ limit: 2, key });
    expect(config.key).toBe(key);
    expect(config.key?.({ uid: "c1", state: { user: "ada" } })).toBe("ada");
    expect(config.key?.({ uid: "c1", state: {} })).toBe("c1");
    expect(Object.isFrozen(config)).toBe(true);
    expect("key" in normalizeRateLimit({ limit: 2 })).toBe(false);
    expect(() => rateLimit({ limit: 1, key: "user" as never })).toThrow(/"key" must be a function/);
  });

  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["2d", 172_800_000],
    [250, 250],
  ])("accepts period %s", (period, ms) => {
    expect(normalizeRateLimit({ limit: 1, period }).periodMs).toBe(ms);
  });

  it("refuses to decorate the same function twice", () => {
    const fn = (): void => {};
    rateLimit({ limit: 1 })(fn);
    expect(() => rateLimit({ limit: 2 })(fn)).toThrow(/applied twice/);
  });

  it("refuses non-method targets", () => {
    const context = { kind: "getter", name: "x" } as unknown as ClassMethodDecoratorContext;
    expect(() => rateLimit({ limit: 1 })(() => 1, context)).toThrow(/only decorate methods, not a getter/);
  });
});

describe("getRateLimit", () => {
  it("is undefined for anything without a rate limit", () => {
    expect(getRateLimit(() => 1)).toBeUndefined();
    expect(getRateLimit(undefined)).toBeUndefined();
    expect(getRateLimit({ [RATE_LIMIT]: { limit: 1 } })).toBeUndefined();
  });
});

describe("bad options throw at decoration time, listing what is accepted", () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "5", undefined])("limit %s", (limit) => {
    expect(() => rateLimit({ limit: limit as number })).toThrow(RangeError);
    expect(() => rateLimit({ limit: limit as number })).toThrow(/"limit" must be a positive integer \(1, 2, 3, \.\.\.\)/);
  });

  it.each(["", "1", "10x", "1 minute", "-5s", "0s", 0, -1, Number.NaN, null])("period %s", (period) => {
    const make = (): unknown => rateLimit({ limit: 1, period: period as string });
    expect(make).toThrow(RangeError);
    expect(make).toThrow(/invalid "period" .*"500ms", "30s", "5m", "1h", "2d", or a number of milliseconds > 0/);
  });

  it("names a bad period exactly", () => {
    expect(() => rateLimit({ limit: 1, period: "1 minute" })).toThrow('invalid "period" "1 minute"');
  });

  it("also throws when the class is defined", () => {
    expect(() => {
      class Bad {
        @rateLimit({ limit: 0 })
        m(): void {}
      }
      return Bad;
    }).toThrow(/positive integer/);
  });

  it("refuses unknown options, hinting at Python names", () => {
    expect(() => rateLimit({ limit: 1, disconnect_on_limit_exceeded: true } as never)).toThrow(
      /unknown option "disconnect_on_limit_exceeded" \(did you mean "disconnectOnLimitExceeded"\?\)/,
    );
    expect(() => rateLimit({ limit: 1, perid: "1s" } as never)).toThrow(/accepted: limit, period, disconnectOnLimitExceeded/);
  });

  it("refuses a non-boolean disconnectOnLimitExceeded and a missing options object", () => {
    expect(() => rateLimit({ limit: 1, disconnectOnLimitExceeded: "yes" as never })).toThrow(TypeError);
    expect(() => rateLimit(undefined as never)).toThrow(/takes an options object/);
  });
});
