import { parseDuration } from "@webshocket/protocol";
import type { SharedSessionStore } from "./sharedSessionStore.js";

/** Session resumption (PROTOCOL.md § Session resumption). */
export interface ResumeOptions {
  /** How long a dropped client's session is kept for it to come back ("2m", or milliseconds). Default: "2m". */
  window?: string | number;
  /**
   * Messages kept per session for replay: the last ones sent while connected (the client may not have
   * read them), and those addressed to it while suspended. A suspended session that would have to drop
   * one it has not sent is ended (the client is told `overflow`). Default: 10,000.
   */
  maxMessages?: number;
  /** Bytes of such messages kept per session ("8MiB", or bytes); at most maxBackpressure. Default: "8MiB". */
  maxBytes?: string | number;
  /**
   * A store shared by the nodes of a cluster (e.g. `RedisSessionStore` from `@webshocket/redis`): a client
   * that comes back on another node resumes there (`reason: "moved"`: uid, state and subscriptions; the
   * messages of the gap only through channel history). Default: none (sessions live on their node only).
   */
  store?: SharedSessionStore;
}

/** ResumeOptions with defaults applied. */
export interface ResolvedResume {
  readonly windowMs: number;
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly store: SharedSessionStore | undefined;
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?\s*$/;
const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** "8MiB" → 8388608; a number is bytes. */
export function parseSize(input: string | number): number {
  const m = typeof input === "string" ? SIZE.exec(input) : null;
  const value = typeof input === "number" ? input : m ? Math.floor(Number(m[1]) * (SIZE_UNITS[m[2] ?? "B"] ?? 1)) : Number.NaN;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new RangeError(`Invalid size ${JSON.stringify(input)}: expected bytes > 0 or a number with B, KiB, MiB or GiB.`);
}

/**
 * Defaults applied; undefined when resumption is off (the default: a resumable session keeps its last
 * messages and delays onDisconnect by the window, which an application should choose knowingly).
 */
export function resolveResume(o: ResumeOptions | boolean | undefined, maxBackpressure: number): ResolvedResume | undefined {
  if (o === undefined || o === false) return undefined;
  const r = o === true ? {} : o;
  const maxMessages = r.maxMessages ?? 10_000;
  if (!(Number.isSafeInteger(maxMessages) && maxMessages > 0)) throw new RangeError(`WebSocketServer: resume.maxMessages must be a positive integer, got ${String(r.maxMessages)}.`);
  let maxBytes = parseSize(r.maxBytes ?? 8 * 1024 * 1024);
  // A replay goes out at once: it must fit under the socket's limit, or the engine would drop part of it.
  if (maxBackpressure > 0) maxBytes = Math.min(maxBytes, maxBackpressure);
  return { windowMs: parseDuration(r.window ?? "2m"), maxMessages, maxBytes, store: r.store };
}
