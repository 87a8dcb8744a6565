import { parseDuration } from "@webshocket/protocol";
import { GlobPattern } from "../channels/globPattern.js";

/** Per-channel history (PROTOCOL.md § Channel history). */
export interface HistoryOptions {
  /** Publications kept per channel, newest last. Default: 1,000. */
  size?: number;
  /** How long a publication is kept ("5m", or milliseconds). Default: "5m". */
  ttl?: string | number;
  /**
   * The channels that keep history, as exact names or fnmatch patterns (`["chat.*", "news"]`).
   * Default: every channel.
   */
  channels?: readonly string[];
}

/** HistoryOptions with defaults applied. */
export interface ResolvedHistory {
  readonly size: number;
  readonly ttlMs: number;
  /** Undefined: every channel. */
  readonly channels: readonly GlobPattern[] | undefined;
}

/** Defaults applied; undefined when history is off (the default: it keeps every publication's data for `ttl`). */
export function resolveHistory(o: HistoryOptions | boolean | undefined): ResolvedHistory | undefined {
  if (o === undefined || o === false) return undefined;
  const h = o === true ? {} : o;
  const size = h.size ?? 1000;
  if (!(Number.isSafeInteger(size) && size > 0)) throw new RangeError(`WebSocketServer: history.size must be a positive integer, got ${String(h.size)}.`);
  const channels = h.channels?.map((c) => {
    if (typeof c !== "string" || c === "") throw new TypeError("WebSocketServer: history.channels must be non-empty strings.");
    return GlobPattern.compile(c);
  });
  return { size, ttlMs: parseDuration(h.ttl ?? "5m"), channels };
}
