/**
 * Runs sends in the order given, holding them (all, in order) while subscriptions are still on their way to
 * Redis: a publish on a channel with history reaches this node's clients only through its subscription.
 */
export class SettledGate {
  #gate: Promise<void> | undefined;

  constructor(
    /** Subscriptions asked for and not yet answered. */
    private readonly pending: () => number,
    /** Resolves once none is pending. */
    private readonly settled: () => Promise<void>,
  ) {}

  run<T>(send: () => Promise<T>): Promise<T> {
    if (this.#gate === undefined && this.pending() > 0) {
      const gate: Promise<void> = this.settled().then(() => {
        if (this.#gate === gate) this.#gate = undefined;
      });
      this.#gate = gate;
    }
    return this.#gate === undefined ? send() : this.#gate.then(send);
  }
}
