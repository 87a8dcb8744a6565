import type { Broker } from "../broker/broker.js";
import type { HistoryOptions } from "./historyOptions.js";

/**
 * Refuses a history that would disagree across nodes: the `history` option together with a broker that
 * keeps its own (two sources of positions), or per-node memory history behind a distributed broker
 * without one (each node would give the same publication a different position).
 */
export function checkHistorySource(option: HistoryOptions | boolean | undefined, broker: Broker): void {
  if (option === undefined || option === false) return;
  if (broker.history !== undefined) throw new TypeError("WebSocketServer: the `history` option and a `broker` with its own `history` are both set; leave out the option (the broker's history is used).");
  if (broker.distributed) throw new TypeError("WebSocketServer: the `history` option keeps history per node, and a distributed `broker` without a `history` would give each node different positions for the same publication; use a broker that keeps history.");
}
