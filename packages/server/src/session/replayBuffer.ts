/**
 * The messages of one session in sequence order, for replay: message n (from 1) is the n-th
 * non-RPC packet sent to the session. Bounded by a count and by bytes, oldest out first. The
 * bytes are the encoded messages as fan-out shares them (by reference; counted per session).
 */
export class ReplayBuffer {
  #msgs: Array<Uint8Array | undefined> = [];
  #head = 0;
  #bytes = 0;
  /** Sequence number of the oldest message kept. */
  first = 1;
  /** Sequence number the next message gets. */
  next = 1;

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  /** Messages kept now. */
  get size(): number {
    return this.next - this.first;
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  push(bytes: Uint8Array): void {
    this.#msgs.push(bytes);
    this.next++;
    this.#bytes += bytes.length;
    while (this.next - this.first > this.maxMessages || this.#bytes > this.maxBytes) this.#dropOldest();
  }

  /** The messages after `seen` in order, or undefined when one of them is gone (or `seen` was never sent). */
  after(seen: number): Uint8Array[] | undefined {
    if (!Number.isSafeInteger(seen) || seen + 1 < this.first || seen >= this.next) return undefined;
    return this.#msgs.slice(this.#head + seen + 1 - this.first) as Uint8Array[];
  }

  /** Drops everything (the session is over). */
  clear(): void {
    this.#msgs = [];
    this.#head = 0;
    this.#bytes = 0;
    this.first = this.next;
  }

  #dropOldest(): void {
    const bytes = this.#msgs[this.#head];
    this.#msgs[this.#head++] = undefined;
    this.#bytes -= bytes?.length ?? 0;
    this.first++;
    if (this.#head >= 1024 && this.#head * 2 >= this.#msgs.length) {
      this.#msgs = this.#msgs.slice(this.#head);
      this.#head = 0;
    }
  }
}
