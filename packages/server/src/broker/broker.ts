import type { Delivery } from "../channels/fanout.js";
import type { HistoryStore } from "../history/historyStore.js";
import type { Logger } from "../logger.js";

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
  /**
   * Called once by the server: `deliver` hands a delivery to this node's connections;
   * `logger` is the server's, for the broker to report outages and dropped messages.
   * A rejection fails `server.start()`.
   */
  start(deliver: (delivery: Delivery) => void, logger: Logger): void | Promise<void>;
  /**
   * Sends a delivery to every node, this one included, each connection getting it at
   * most once. A rejection (e.g. the shared bus is unreachable) is what the caller of
   * `handler.publish` / `broadcast` sees.
   */
  publish(delivery: Delivery): void | Promise<void>;
  /**
   * This node's clients now need (`wanted`), or no longer need, deliveries for an
   * exact channel or a glob pattern: called on the first local subscriber and after
   * the last one leaves, so a broker subscribes upstream only to what is used.
   */
  interest?(name: string, isPattern: boolean, wanted: boolean): void;
  /**
   * Whether the link to the shared bus is up now (read by `server.ready`, `/readyz` and the metrics'
   * `webshocket_broker_up`). Absent for a broker without one (the in-process default): always up.
   */
  readonly linkUp?: boolean;
  /**
   * Resolves once every upstream (un)subscription asked for so far through `interest` is in place (a session
   * moved from another node waits for its channels before it is told so). Absent: nothing to wait for.
   */
  subscriptionsSettled?(): Promise<void>;
  /**
   * Channel history shared by every node (e.g. in Redis), when this broker keeps one: the server then uses it
   * for `$history`, `handler.history()` and positions, and its own `history` option must stay unset. Such a
   * broker assigns positions at publish and hands them to fan-out in `Delivery.positions`.
   */
  readonly history?: HistoryStore;
  close(): void | Promise<void>;
}
