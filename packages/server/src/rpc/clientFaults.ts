import type { ClientConnection } from "../connection.js";
import type { Logger } from "../logger.js";

/** Lines one connection may log per window; the rest are counted and summarised. */
const LINES_PER_WINDOW = 5;
const WINDOW_MS = 60_000;

interface FaultLog {
  windowStart: number;
  lines: number;
  suppressed: number;
}

const logs = new WeakMap<ClientConnection, FaultLog>();

/**
 * Logs a mistake of the client's (bad arguments, a bad channel name): one warning line,
 * no stack, at most LINES_PER_WINDOW per connection a minute, so a client cannot flood
 * the log. The first line of a new window says how many were left out.
 */
export function logClientFault(logger: Logger, conn: ClientConnection, method: string, message: string): void {
  const now = Date.now();
  let log = logs.get(conn);
  if (log === undefined) logs.set(conn, (log = { windowStart: now, lines: 0, suppressed: 0 }));
  if (now - log.windowStart >= WINDOW_MS) {
    log.windowStart = now;
    log.lines = 0;
  }
  if (log.lines >= LINES_PER_WINDOW) {
    log.suppressed++;
    return;
  }
  log.lines++;
  const left = log.suppressed > 0 ? ` (${log.suppressed} similar lines left out)` : "";
  log.suppressed = 0;
  logger.warn(`client error on ${conn.toString()} in ${method}: ${message.replace(/\s+/g, " ")}${left}`);
}
