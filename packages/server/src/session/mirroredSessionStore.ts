import type { ClientConnection } from "../connection.js";
import type { Logger } from "../logger.js";
import type { Session } from "./session.js";
import type { SessionSnapshot, SharedSessionStore } from "./sharedSessionStore.js";
import { MemorySessionStore, type ResumeFailure, type SessionStore } from "./sessionStore.js";

/** The snapshot of a connection's session, as JSON text (throws for state JSON cannot encode, e.g. a bigint). */
export function snapshotText(conn: ClientConnection): string {
  const snapshot: SessionSnapshot = { uid: conn.uid, state: conn.state as Record<string, unknown>, channels: [...conn.channelSet], clientType: conn.clientType };
  return JSON.stringify(snapshot);
}

/**
 * This node's sessions in memory (resumed first, as without a shared store), mirrored to a shared store: a
 * snapshot under each session's token, written at start, when state or subscriptions changed (at most once per
 * session per event-loop turn, and only when the text changed), at suspension and under each new token; live
 * sessions' snapshots are kept from expiring (rewritten if changed) every third of the window. Retirements are
 * shared, so a used token is refused on every node.
 */
export class MirroredSessionStore implements SessionStore {
  readonly local = new MemorySessionStore();
  /** Sessions filed here by token (as in `local`), for the refresh and for notices from other nodes. */
  readonly #tracked = new Map<string, Session>();
  readonly #dirty = new Set<Session>();
  #flushScheduled = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #logger: Logger | undefined;

  constructor(
    readonly shared: SharedSessionStore,
    private readonly windowMs: number,
    /** Another node took the session filed under this token: let it go here. */
    private readonly takenElsewhere: (session: Session) => void,
  ) {}

  /** Connects the shared store and starts the refresh. */
  async start(logger: Logger): Promise<void> {
    this.#logger = logger;
    await this.shared.start((token) => {
      const session = this.#tracked.get(token);
      if (session !== undefined) this.takenElsewhere(session);
    }, logger);
    this.#timer = setInterval(() => this.#refresh(), Math.max(1, Math.floor(this.windowMs / 3)));
    this.#timer.unref?.();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.shared.close();
  }

  put(token: string, session: Session): void {
    this.local.put(token, session);
    this.#tracked.set(token, session);
    session.snapshot = undefined; // a new key: written even when the text is the same
    this.mark(session);
  }

  take(token: string): Session | ResumeFailure {
    this.#tracked.delete(token);
    return this.local.take(token);
  }

  has(token: string): boolean {
    return this.local.has(token);
  }

  retire(token: string, reason: ResumeFailure): void {
    this.local.retire(token, reason);
    const session = this.#tracked.get(token);
    this.#tracked.delete(token);
    if (session !== undefined) this.#dirty.delete(session);
    this.#send(this.shared.retire(token, reason), "retire");
  }

  suspended(session: Session): void {
    session.snapshot = undefined; // rewritten now, so it lives a window from the drop
    this.#dirty.delete(session);
    this.#write(session);
  }

  /** This node lets the session go but leaves it in the shared store (shutdown): written now, forgotten here. */
  handOver(session: Session): void {
    this.#dirty.delete(session);
    session.snapshot = undefined;
    this.#write(session);
    this.#tracked.delete(session.token);
    this.local.take(session.token);
  }

  /** State or subscriptions of this session may have changed: its snapshot is checked at the end of the turn. */
  mark(session: Session): void {
    if (session.ended || this.#dirty.has(session)) return;
    this.#dirty.add(session);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    for (const session of dirty) this.#write(session);
  }

  /** Writes the session's snapshot when it changed; false when it did not. */
  #write(session: Session): boolean {
    if (session.ended || this.#tracked.get(session.token) !== session) return false;
    let text: string;
    try {
      text = snapshotText(session.conn);
    } catch (err) {
      this.#logger?.warn(`session ${session.conn.uid}: its state cannot be written as JSON, so it cannot move to another node`, err);
      return false;
    }
    if (text === session.snapshot) return false;
    session.snapshot = text;
    this.#send(this.shared.put(session.token, text, this.windowMs), "put");
    return true;
  }

  /** Keeps live sessions' snapshots: rewritten when changed, else their time extended. */
  #refresh(): void {
    const touch: string[] = [];
    for (const [token, session] of this.#tracked) {
      if (session.suspended || session.ended) continue; // a suspended one lives a window from its drop
      if (!this.#write(session)) touch.push(token);
    }
    if (touch.length > 0) this.#send(this.shared.touch(touch, this.windowMs), "touch");
  }

  #send(op: Promise<void>, what: string): void {
    op.catch((err: unknown) => this.#logger?.warn(`shared session store: ${what} failed`, err));
  }
}
