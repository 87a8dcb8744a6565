/** What {@link LinkHealth} needs from a node-redis client. */
export interface WatchedClient {
  readonly isReady: boolean;
  on(event: "ready", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
}

/**
 * Whether every one of a few Redis connections is up. Once armed (after the first
 * successful connect), it calls `onDown` when the first of them is lost and `onUp`
 * when all are ready again: one report per outage, however many retries fail.
 */
export class LinkHealth {
  readonly #notReady = new Set<string>();
  #armed = false;
  #down = false;
  #since = 0;
  /** The latest connection error, kept for error messages. */
  lastError: Error | undefined;

  constructor(
    private readonly onDown: (err: Error) => void,
    private readonly onUp: (outageMs: number) => void,
  ) {}

  /** True while an outage is being reported (after `onDown`, before `onUp`). */
  get down(): boolean {
    return this.#down;
  }

  /** Starts following `client`, known as `name` in reports. Also keeps node-redis from throwing on "error". */
  watch(name: string, client: WatchedClient): void {
    this.#notReady.add(name);
    client.on("ready", () => {
      this.#notReady.delete(name);
      if (!this.#down || this.#notReady.size > 0) return;
      this.#down = false;
      if (this.#armed) this.onUp(Date.now() - this.#since);
    });
    client.on("error", (err) => {
      this.lastError = err;
      if (client.isReady) return; // a failed command or ping on a live link: not an outage
      this.#notReady.add(name);
      if (this.#down || !this.#armed) return;
      this.#down = true;
      this.#since = Date.now();
      this.onDown(err);
    });
  }

  /** Reports from now on (call once the first connection has succeeded). */
  arm(): void {
    this.#armed = true;
  }

  /** Stops reporting (the connections are being closed on purpose). */
  disarm(): void {
    this.#armed = false;
  }
}
