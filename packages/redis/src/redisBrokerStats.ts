/** Where a broker is in its life. */
export type RedisBrokerStatus = "idle" | "connecting" | "up" | "down" | "closed";

/** Events of {@link RedisBroker}. */
export interface RedisBrokerEvents {
  /** Redis was lost (once per outage). Local clients are still served; publishes reject until "up". */
  down: [error: Error];
  /** Every connection is back and subscriptions are restored, after an outage of `outageMs`. */
  up: [outageMs: number];
}

/** Counters for monitoring and benchmarks. */
export interface RedisBrokerStats {
  /** Publishes and broadcasts sent to Redis (one per call, whatever the number of channels). */
  published: number;
  /** Publishes that did not reach Redis (their promise rejected). */
  publishFailures: number;
  /** Messages from other nodes handed to this node's clients. */
  received: number;
  /** Second copies dropped (a message reaching this node through more than one subscription). */
  duplicates: number;
  /** This node's own messages coming back from Redis, dropped (they were delivered locally at once). */
  ownEchoes: number;
  /** Messages that could not be decoded, dropped and logged. */
  malformed: number;
}
