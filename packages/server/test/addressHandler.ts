import { WebSocketHandler, type ClientConnection } from "../src/index.js";

/** Records each connection's remoteAddress; `next()` resolves with the next one. */
export class AddressHandler extends WebSocketHandler {
  readonly #queue: string[] = [];
  readonly #waiters: Array<(address: string) => void> = [];
  override onConnect(conn: ClientConnection): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(conn.remoteAddress);
    else this.#queue.push(conn.remoteAddress);
  }
  next(): Promise<string> {
    const queued = this.#queue.shift();
    return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => this.#waiters.push(resolve));
  }
}
