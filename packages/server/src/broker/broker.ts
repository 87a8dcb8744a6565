import type { Delivery } from "../channels/fanout.js";

/**
 * Carries publishes and broadcasts to every server node. The in-process broker
 * (the default) delivers locally; a Redis broker fans out across processes.
 */
export interface Broker {
  /** Called once by the server: `deliver` hands a delivery to this node's connections. */
  start(deliver: (delivery: Delivery) => void): void | Promise<void>;
  /** Sends a delivery to every node, this one included. */
  publish(delivery: Delivery): void | Promise<void>;
  /** The node's clients now need (or no longer need) these channels / patterns. */
  interest?(channel: string, wanted: boolean): void;
  close(): void | Promise<void>;
}
