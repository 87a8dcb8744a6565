import type { Session } from "./session.js";

/** Why a session could not be resumed; sent to the client as `reason`. */
export type ResumeFailure =
  /** The window passed. */
  | "expired"
  /** More messages (or bytes) were addressed to it than the server keeps. */
  | "overflow"
  /** The token was used already (tokens are single-use). */
  | "used"
  /** The server closed the connection (or the client closed it normally): the session is over. */
  | "closed"
  /** The token is not known here (another node without a shared store, or never issued). */
  | "unknown"
  /** The client's last seen sequence number is not one the server sent, or it changed format. */
  | "mismatch";

/** Where sessions are found by their resume token. */
export interface SessionStore {
  /** Files `session` under `token`. */
  put(token: string, session: Session): void;
  /** Removes and returns the session filed under `token`, or why there is none. */
  take(token: string): Session | ResumeFailure;
  /** Forgets `token`, remembering why for a later presenter of it. */
  retire(token: string, reason: ResumeFailure): void;
  /** True when a session is filed under `token` here. */
  has?(token: string): boolean;
  /** The session was suspended (a shared store writes its snapshot now). */
  suspended?(session: Session): void;
}

/** Reasons remembered for retired tokens, at most this many (oldest forgotten first: they then read "unknown"). */
const MAX_RETIRED = 10_000;

/** Sessions of this process. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #retired = new Map<string, ResumeFailure>();

  /** Sessions filed now (live and suspended). */
  get size(): number {
    return this.#sessions.size;
  }

  put(token: string, session: Session): void {
    this.#sessions.set(token, session);
  }
  has(token: string): boolean {
    return this.#sessions.has(token);
  }
  /** The session filed under `token`, left in place. */
  peek(token: string): Session | undefined {
    return this.#sessions.get(token);
  }

  take(token: string): Session | ResumeFailure {
    const session = this.#sessions.get(token);
    if (session === undefined) return this.#retired.get(token) ?? "unknown";
    this.#sessions.delete(token);
    return session;
  }

  retire(token: string, reason: ResumeFailure): void {
    this.#sessions.delete(token);
    this.#retired.delete(token);
    this.#retired.set(token, reason);
    if (this.#retired.size > MAX_RETIRED) this.#retired.delete(this.#retired.keys().next().value as string);
  }
}
