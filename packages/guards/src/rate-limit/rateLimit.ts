import { DURATION_FORMATS, parseDuration } from "@webshocket/protocol";
import type { SessionState } from "../predicate.js";

/** Where `@rateLimit` stores its config on the method's function object. */
export const RATE_LIMIT: unique symbol = Symbol.for("webshocket.rateLimit") as never;

/** What a rate-limit `key` function is given: the calling connection (a server `ClientConnection`). */
export interface RateLimitTarget {
  readonly uid: string;
  readonly state: SessionState;
}

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Most calls allowed per key (by default: per connection) in any window of length `period`. A positive integer; required. */
  limit: number;
  /**
   * Length of the sliding window: `"500ms"`, `"30s"`, `"5m"`, `"1h"`, `"2d"`,
   * or a number of milliseconds.
   * @default "1s"
   */
  period?: string | number;
  /**
   * Close the connection (instead of only answering RATE_LIMIT_EXCEEDED) when
   * a call goes over the limit.
   * @default false
   */
  disconnectOnLimitExceeded?: boolean;
  /**
   * Whose window a call counts against, e.g. `(conn) => String(conn.state.userId ?? conn.uid)`
   * to limit a user across all their connections (and, with a shared store such as
   * `@webshocket/redis`'s, across server nodes). A method signature, so a function typed for
   * `ClientConnection<YourState>` fits.
   * @default the connection's uid (one window per connection)
   */
  key?(conn: RateLimitTarget): string;
}

/** A validated, normalized rate limit, as {@link getRateLimit} returns it. Frozen. */
export interface RateLimitConfig {
  /** Most calls allowed in any window of `periodMs`. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly periodMs: number;
  /** The period as it was written (`"1s"` when omitted). */
  readonly period: string | number;
  /** Whether going over the limit closes the connection. */
  readonly disconnectOnLimitExceeded: boolean;
  /** Whose window a call counts against; absent means the connection's uid. */
  readonly key?: (conn: RateLimitTarget) => string;
}

/**
 * A `@rateLimit(...)` decorator: standard (TC39), legacy (`experimentalDecorators: true`), or
 * called on a standalone function, which it returns. Generic over `This` so methods declaring a
 * `this` type decorate too.
 */
export interface RateLimitDecorator {
  <This, F extends (this: This, ...args: any[]) => unknown>(value: F, context?: ClassMethodDecoratorContext<This, F>): F;
  /** Legacy decorator (`experimentalDecorators: true`). */
  <F extends (...args: any[]) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>): void;
}

const OPTION_NAMES = ["limit", "period", "disconnectOnLimitExceeded", "key"];
const PYTHON_NAMES: Readonly<Record<string, string>> = { disconnect_on_limit_exceeded: "disconnectOnLimitExceeded" };

/**
 * Validates and normalizes rate-limit options.
 * @throws TypeError / RangeError listing what is accepted.
 */
export function normalizeRateLimit(options: RateLimitOptions): RateLimitConfig {
  if (typeof options !== "object" || options === null) {
    throw new TypeError('rateLimit() takes an options object: { limit, period?: "1s", disconnectOnLimitExceeded?: false, key? }.');
  }
  for (const name of Object.keys(options)) {
    if (OPTION_NAMES.includes(name)) continue;
    const hint = PYTHON_NAMES[name] === undefined ? "" : ` (did you mean "${PYTHON_NAMES[name]}"?)`;
    throw new TypeError(`rateLimit(): unknown option "${name}"${hint}; accepted: ${OPTION_NAMES.join(", ")}.`);
  }
  const { limit, period = "1s", disconnectOnLimitExceeded = false, key } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`rateLimit(): "limit" must be a positive integer (1, 2, 3, ...), got ${formatBad(limit)}.`);
  }
  let periodMs: number;
  try {
    periodMs = parseDuration(period);
  } catch (error) {
    throw new RangeError(
      `rateLimit(): invalid "period" ${formatBad(period)}; expected ${DURATION_FORMATS}, or a number of milliseconds > 0.`,
      { cause: error },
    );
  }
  if (typeof disconnectOnLimitExceeded !== "boolean") {
    throw new TypeError(`rateLimit(): "disconnectOnLimitExceeded" must be true or false, got ${formatBad(disconnectOnLimitExceeded)}.`);
  }
  if (key !== undefined && typeof key !== "function") {
    throw new TypeError(`rateLimit(): "key" must be a function (conn) => string, got ${formatBad(key)}.`);
  }
  const config: RateLimitConfig = { limit, periodMs, period, disconnectOnLimitExceeded };
  return Object.freeze(key === undefined ? config : { ...config, key });
}

function formatBad(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Limits how often one connection may call an RPC method: at most `limit`
 * calls in any window of length `period` (a true sliding window, per
 * connection, or per `key`, and method). Calls over the limit are answered with
 * RATE_LIMIT_EXCEEDED and do not count.
 *
 * A TC39 standard method decorator (no `experimentalDecorators`) that stacks
 * with `@rpcMethod` in either order. It does not wrap the method: it stores the
 * config on the function object, where {@link getRateLimit} finds it. Options
 * are validated when the decorator is created, i.e. at class definition.
 *
 * @example
 * class Api extends WebSocketHandler {
 *   @rateLimit({ limit: 5, period: "1m" })
 *   @rpcMethod()
 *   async expensiveQuery(conn: ClientConnection, q: string) { ... }
 * }
 * // or on a plain function:
 * const handler = rateLimit({ limit: 10 })(async (conn) => { ... });
 *
 * @throws TypeError / RangeError when `limit` is not a positive integer or `period` is not a duration.
 */
export function rateLimit(options: RateLimitOptions): RateLimitDecorator {
  const config = normalizeRateLimit(options);
  return ((value: Function, context?: ClassMethodDecoratorContext | string | symbol, descriptor?: PropertyDescriptor) => {
    if (typeof context === "string" || typeof context === "symbol") {
      // Legacy decorator: (prototype, key, descriptor); the method is descriptor.value.
      if (typeof descriptor?.value !== "function") throw new TypeError(`@rateLimit can only decorate methods, not '${String(context)}'.`);
      mark(descriptor.value as Function, String(context));
      return descriptor;
    }
    if (context !== undefined && context.kind !== "method") {
      throw new TypeError(`@rateLimit can only decorate methods, not a ${String((context as { kind: unknown }).kind)}.`);
    }
    if (typeof value !== "function") throw new TypeError("rateLimit(...) must be applied to a function.");
    mark(value, context === undefined ? value.name : String(context.name));
    return value;
  }) as RateLimitDecorator;

  function mark(fn: Function, name: string): void {
    if (Object.hasOwn(fn, RATE_LIMIT)) {
      throw new TypeError(`rateLimit applied twice to "${name}"; give each method a single @rateLimit.`);
    }
    Object.defineProperty(fn, RATE_LIMIT, { value: config, enumerable: false, writable: false, configurable: false });
  }
}

/** The rate limit that `@rateLimit` attached to `fn`, or `undefined` when it has none. */
export function getRateLimit(fn: unknown): RateLimitConfig | undefined {
  if (typeof fn !== "function" || !Object.hasOwn(fn, RATE_LIMIT)) return undefined;
  return (fn as unknown as Record<typeof RATE_LIMIT, RateLimitConfig>)[RATE_LIMIT];
}
