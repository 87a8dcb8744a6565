import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, withRetry, type RetryInfo } from "./retry.js";

describe("backoffDelay", () => {
  it("is interval · 2^n plus jitter in [0, interval)", () => {
    expect(backoffDelay(0, 2000, Infinity, () => 0)).toBe(2000);
    expect(backoffDelay(1, 2000, Infinity, () => 0)).toBe(4000);
    expect(backoffDelay(2, 2000, Infinity, () => 0)).toBe(8000);
    expect(backoffDelay(2, 2000, Infinity, () => 0.5)).toBe(9000);
    expect(backoffDelay(3, 2000, Infinity, () => 0.999)).toBeLessThan(16000 + 2000);
  });

  it("is capped by maxDelay", () => {
    expect(backoffDelay(10, 2000, 30_000, () => 0)).toBe(30_000);
  });
});

describe("withRetry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("retries with growing delays, then gives up after 1 + retries attempts", async () => {
    const started: number[] = [];
    const retries: RetryInfo[] = [];
    const t0 = Date.now();
    const run = withRetry(
      async () => {
        started.push(Date.now() - t0);
        throw new Error("refused");
      },
      {
        _retries: 3,
        _intervalMs: 1000,
        _maxDelayMs: Infinity,
        _random: () => 0.25,
        _onRetry: (info) => retries.push(info),
        _giveUp: (error, attempts) => new Error(`gave up after ${attempts}`, { cause: error }),
      },
    );
    const outcome = expect(run).rejects.toThrow("gave up after 4");
    await vi.runAllTimersAsync();
    await outcome;
    expect(retries.map((r) => r.delayMs)).toEqual([1250, 2250, 4250]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // Each attempt starts after the previous delay: 0, 1250, 1250+2250, 1250+2250+4250.
    expect(started).toEqual([0, 1250, 3500, 7750]);
  });

  it("returns the first success", async () => {
    let n = 0;
    const run = withRetry(
      async () => {
        if (++n < 3) throw new Error("not yet");
        return "ok";
      },
      { _retries: 5, _intervalMs: 10, _maxDelayMs: Infinity, _giveUp: () => new Error("no") },
    );
    await vi.runAllTimersAsync();
    await expect(run).resolves.toBe("ok");
    expect(n).toBe(3);
  });

  it("makes one attempt when retries is 0", async () => {
    const attempt = vi.fn(async () => {
      throw new Error("refused");
    });
    await expect(withRetry(attempt, { _retries: 0, _intervalMs: 10, _maxDelayMs: 10, _giveUp: () => new Error("failed") })).rejects.toThrow(
      "failed",
    );
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it("stops waiting when aborted", async () => {
    const ac = new AbortController();
    const run = withRetry(
      async () => {
        throw new Error("refused");
      },
      { _retries: 5, _intervalMs: 60_000, _maxDelayMs: Infinity, signal: ac.signal, _giveUp: () => new Error("no") },
    );
    const outcome = expect(run).rejects.toThrow("stop");
    await vi.advanceTimersByTimeAsync(10);
    ac.abort(new Error("stop"));
    await outcome;
  });

  it("waits at least an error's retryAfterMs (the server's Retry-After), within maxDelay", async () => {
    const retries: RetryInfo[] = [];
    const refused = (ms: number): Error => Object.assign(new Error("HTTP 503"), { retryAfterMs: ms });
    const asked = [2000, 10, 90_000];
    let n = 0;
    const run = withRetry(
      async () => {
        throw refused(asked[n++] ?? 0);
      },
      { _retries: 3, _intervalMs: 100, _maxDelayMs: 30_000, _random: () => 0, _onRetry: (info) => retries.push(info), _giveUp: () => new Error("no") },
    );
    const outcome = expect(run).rejects.toThrow("no");
    await vi.runAllTimersAsync();
    await outcome;
    // 2000 asked over a 100 backoff; 10 asked under a 200 backoff; 90 s asked, capped at maxDelay.
    expect(retries.map((r) => r.delayMs)).toEqual([2000, 200, 30_000]);
  });
});
