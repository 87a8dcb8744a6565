import type { Delivery } from "../channels/fanout.js";
import type { Broker } from "./broker.js";

/** The default broker: one process, deliveries go straight to local connections. */
export class LocalBroker implements Broker {
  readonly distributed = false;
  #deliver: ((d: Delivery) => void) | undefined;

  start(deliver: (delivery: Delivery) => void): void {
    this.#deliver = deliver;
  }

  publish(delivery: Delivery): void {
    this.#deliver?.(delivery);
  }

  close(): void {
    this.#deliver = undefined;
  }
}
