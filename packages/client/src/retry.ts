import type { ResolvedBackoff } from "./options.js";

/** One wait between two attempts, as reported to `on("retry")`. */
export interface RetryInfo {
  /** The retry about to be made: 1 for the first retry. */
  attempt: number;
  /** How long the client waits before it, in milliseconds. */
  delayMs: number;
  /** Why the previous attempt failed. */
  error: unknown;
}

/**
 * The delay before retry number `retry` (0 for the first retry):
 * `interval · 2^retry + jitter`, with jitter uniform in `[0, interval)`, capped at `maxDelayMs`.
 */
export function backoffDelay(
  retry: number,
  intervalMs: number,
  maxDelayMs: number = Infinity,
  random: () => number = Math.random,
): number {
  const base = intervalMs * 2 ** retry;
  return Math.min(base + random() * intervalMs, maxDelayMs);
}

/** Resolves after `ms`, or rejects with `signal.reason` when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** How `withRetry` runs. */
export interface RetryPolicy extends ResolvedBackoff {
  signal?: AbortSignal | undefined;
  /** Called before each wait. */
  _onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Source of jitter. Default: `Math.random`. */
  _random?: (() => number) | undefined;
  /** Builds the error thrown once every attempt failed. */
  _giveUp(lastError: unknown, attempts: number): Error;
}

/**
 * Runs `attempt` until it succeeds, at most `1 + retries` times, waiting `backoffDelay` between
 * attempts (at least an error's `retryAfterMs`, capped at `maxDelayMs`). An abort stops at once with `signal.reason`.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let n = 0; ; n++) {
    policy.signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (policy.signal?.aborted) throw policy.signal.reason;
      if (n >= policy._retries) throw policy._giveUp(error, n + 1);
      // A server that said when to come back (HTTP 503 + Retry-After, seen by the Node transport) is not asked sooner,
      // within the caller's maxRetryDelay.
      const asked = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
      const backoff = backoffDelay(n, policy._intervalMs, policy._maxDelayMs, policy._random);
      const delayMs = typeof asked === "number" ? Math.min(Math.max(backoff, asked), policy._maxDelayMs) : backoff;
      policy._onRetry?.({ attempt: n + 1, delayMs, error });
      await sleep(delayMs, policy.signal);
    }
  }
}
