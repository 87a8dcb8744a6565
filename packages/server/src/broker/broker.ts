import type { Delivery } from "../channels/fanout.js";

/**
 * Carries publishes and broadcasts to every server node. The in-process broker
 * (the default) delivers locally; a Redis broker fans out across processes.
 */
export interface Broker {
  /**
   * True when deliveries leave this process. Publishing with a function predicate
   * is then refused: only data predicates (guards) can travel.
   */
  readonly distributed: boolean;
  /** Called once by the server: `deliver` hands a delivery to this node's connections. */
  start(deliver: (delivery: Delivery) => void): void | Promise<void>;
  /** Sends a delivery to every node, this one included. */
  publish(delivery: Delivery): void | Promise<void>;
  /**
   * This node's clients now need (`wanted`), or no longer need, deliveries for an
   * exact channel or a glob pattern: called on the first local subscriber and after
   * the last one leaves, so a broker subscribes upstream only to what is used.
   */
  interest?(name: string, isPattern: boolean, wanted: boolean): void;
  close(): void | Promise<void>;
}
