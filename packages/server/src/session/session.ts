import type { ClientConnection } from "../connection.js";
import { ReplayBuffer } from "./replayBuffer.js";
import type { ResolvedResume } from "./resumeOptions.js";

/**
 * A resumable session: the connection it belongs to (uid, state, subscriptions stay on it), its
 * current token and the messages it was sent, numbered. Live while a socket is attached; suspended
 * for the window after an unexpected drop, when messages addressed to it are kept for the replay.
 */
export class Session {
  readonly buffer: ReplayBuffer;
  /** The sequence number of the first message addressed to it while suspended (0 while live). */
  #suspendedAt = 0;
  /** Set once the session is over: nothing more is kept. */
  ended = false;
  /** Set once the server has let the session go (onDisconnect called). */
  released = false;
  /** The snapshot last written to a shared store (JSON text), to write only what changed. */
  snapshot: string | undefined;
  /** The window's timer while suspended. */
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly conn: ClientConnection,
    public token: string,
    options: ResolvedResume,
    /** Called (once) when a suspended session must drop a message its client never got. */
    private readonly overflowed: (session: Session) => void,
  ) {
    this.buffer = new ReplayBuffer(options.maxMessages, options.maxBytes);
  }

  get suspended(): boolean {
    return this.#suspendedAt !== 0;
  }

  /**
   * Numbers and keeps a message for the client. True when it should also be sent now (live);
   * false while suspended (kept for the replay) or ended.
   */
  record(bytes: Uint8Array): boolean {
    if (this.ended) return false;
    const buffer = this.buffer;
    buffer.push(bytes);
    if (this.#suspendedAt === 0) return true;
    if (buffer.first > this.#suspendedAt) {
      this.ended = true;
      buffer.clear();
      this.overflowed(this);
    }
    return false;
  }

  suspend(): void {
    this.#suspendedAt = this.buffer.next;
  }

  resumed(): void {
    this.#suspendedAt = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  end(): void {
    this.ended = true;
    this.buffer.clear();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
