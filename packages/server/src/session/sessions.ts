import { CloseCode, ConnectionState, createResponse } from "@webshocket/protocol";
import type { ClientConnection, SocketData } from "../connection.js";
import type { EngineSocket } from "../engine/engine.js";
import { Session } from "./session.js";
import type { ResolvedResume } from "./resumeOptions.js";
import { MemorySessionStore, type ResumeFailure, type SessionStore } from "./sessionStore.js";
import { isToken, newToken } from "./token.js";
import { MirroredSessionStore } from "./mirroredSessionStore.js";
import { lookUpShared, type LookedUp } from "./sharedLookup.js";

import type { ResumeRequest } from "./resumeRequest.js";

export type { LookedUp } from "./sharedLookup.js";
export { resumeRequest, type ResumeRequest } from "./resumeRequest.js";
import type { Logger } from "../logger.js";

/** The close code of a socket that ended without a close frame. */
const ABNORMAL = 1006;

/** The reserved call id of the packet that tells an opted-in client its session (PROTOCOL.md § Session resumption). */
export const SESSION_CALL_ID = "$session";

/** What sessions need from the runtime. */
export interface SessionHost {
  readonly clients: Set<ClientConnection>;
  batch(conn: ClientConnection, bytes: Uint8Array): void;
  /** Stops the connection's streams (their client has gone). */
  stopStreams(conn: ClientConnection): void;
  /** Forgets a connection for good: channels, rate-limit windows, onDisconnect. */
  release(conn: ClientConnection): void;
  hook(conn: ClientConnection, run: () => void | Promise<void>): void;
  onSuspend(conn: ClientConnection): void | Promise<void>;
  onResume(conn: ClientConnection): void | Promise<void>;
  /** Resolves once the broker's subscriptions asked for so far are in place (a moved session's channels). */
  settled(): Promise<void>;
}

type Socket = EngineSocket & { webshocketConn?: ClientConnection; webshocketDetached?: boolean };

/**
 * Session resumption on one server: new sessions for clients that opt in, suspension on an
 * unexpected drop, resumption with a token (rotated each time), the window, and honest failure.
 */
export class Sessions {
  readonly #suspended = new Set<Session>();
  #handingOver = false;
  readonly store: SessionStore;
  /** The store mirrored to the shared one (`resume.store`); undefined without one. */
  readonly mirror: MirroredSessionStore | undefined;

  constructor(
    private readonly host: SessionHost,
    readonly options: ResolvedResume,
    store?: SessionStore,
  ) {
    const shared = options.store;
    this.mirror = shared === undefined ? undefined : new MirroredSessionStore(shared, options.windowMs, (s) => this.#takenElsewhere(s));
    this.store = store ?? this.mirror ?? new MemorySessionStore();
  }

  /** Connects the shared store, if any (the server's start). */
  async startShared(logger: Logger): Promise<void> {
    await this.mirror?.start(logger);
  }

  /** Closes the shared store, if any (the server's close, after every session ended). */
  async closeShared(): Promise<void> {
    await this.mirror?.close();
  }

  /** The connection's state or subscriptions may have changed (its snapshot is checked at the end of the turn). */
  changed(conn: ClientConnection): void {
    const session = conn.session;
    if (session !== undefined) this.mirror?.mark(session);
  }

  /** During the upgrade, with a shared store: see {@link lookUpShared}. */
  lookUp(request: ResumeRequest, logger: Logger): Promise<LookedUp> {
    return lookUpShared(this.options, this.store, request, logger);
  }

  /**
   * A connection opened with another node's session (uid, state and subscriptions already restored): gives it a
   * new token and, once the broker is subscribed to its channels (so nothing published after the client's
   * `$history` reads can be missed), tells it `recovered: true, reason: "moved"`. Messages delivered meanwhile are
   * held and follow the session packet (numbered from 1: the numbering starts again).
   */
  startMoved(conn: ClientConnection): void {
    const session = new Session(conn, newToken(), this.options, () => setImmediate(() => conn.close(CloseCode.TRY_AGAIN_LATER, "Too many messages while the session moved")));
    conn.session = session;
    session.suspend(); // held: recorded, not sent
    this.store.put(session.token, session);
    void this.host.settled().then(() => {
      if (session.ended || conn.socket === undefined) return;
      const held = session.buffer.after(0) ?? [];
      session.resumed();
      this.#announce(conn, session.token, true, "moved");
      for (const bytes of held) this.host.batch(conn, bytes);
    });
  }

  /** Suspended sessions now. */
  get suspendedCount(): number {
    return this.#suspended.size;
  }

  /**
   * A socket asking to resume: re-attaches its session (sends the session packet, then the missed
   * messages, then calls onResume) and returns it, or returns why not (the session, if any, is over).
   */
  resume(ws: EngineSocket, data: SocketData, request: ResumeRequest): ClientConnection | ResumeFailure {
    const token = request.token ?? "";
    const found = isToken(token) ? this.store.take(token) : "unknown";
    if (typeof found === "string") return found;
    if (found.ended) {
      this.store.retire(token, "overflow");
      this.#end(found);
      return "overflow";
    }
    const conn = found.conn;
    const missed = conn.clientType === data.clientType ? found.buffer.after(request.seen) : undefined;
    if (missed === undefined) {
      const reason = conn.clientType === data.clientType && request.seen < found.buffer.first - 1 ? "overflow" : "mismatch";
      this.store.retire(token, reason);
      if (!found.suspended) this.#detach(conn);
      this.#end(found);
      return reason;
    }
    this.store.retire(token, "used");
    if (!found.suspended) this.#detach(conn); // the old socket has not noticed its drop yet: the token's holder is the client
    this.#suspended.delete(found);
    found.resumed();
    found.token = newToken();
    this.store.put(found.token, found);
    conn.attach(ws, data.remoteAddress);
    (ws as Socket).webshocketConn = conn;
    this.host.clients.add(conn);
    this.#announce(conn, found.token, true, undefined);
    for (const bytes of missed) this.host.batch(conn, bytes);
    this.host.hook(conn, () => this.host.onResume(conn));
    return conn;
  }

  /** Makes a new connection resumable and tells its client (with why a resume failed, if it asked for one). */
  start(conn: ClientConnection, failure: ResumeFailure | undefined): void {
    const session = new Session(conn, newToken(), this.options, (s) => setImmediate(() => this.#expire(s, "overflow")));
    conn.session = session;
    this.store.put(session.token, session);
    this.#announce(conn, session.token, false, failure);
  }

  /**
   * A socket closed: suspends its session for the window when the drop was unexpected: it ended without
   * a close frame (1006; any close frame is the client's choice) and not by the server. True when suspended.
   */
  suspend(conn: ClientConnection, code: number): boolean {
    const session = conn.session;
    if (session === undefined || session.ended || session.suspended) return false;
    if (code !== ABNORMAL || conn.connectionState === ConnectionState.CLOSED || conn.evicting) return false;
    this.#suspendNow(session);
    return true;
  }

  /** The connection is gone for good (a normal close, or the server closed it). */
  ended(conn: ClientConnection): void {
    const session = conn.session;
    if (session === undefined || session.ended) return;
    if (this.#handingOver && this.mirror !== undefined) this.mirror.handOver(session);
    else this.store.retire(session.token, "closed");
    this.#suspended.delete(session);
    session.released = true;
    session.end();
  }

  /** The application closed a suspended session (`conn.close()`): it ends now. */
  close(conn: ClientConnection): void {
    const session = conn.session;
    if (session !== undefined && this.#suspended.has(session)) this.#expire(session, "closed");
  }

  /** Ends every suspended session (the server is closing). */
  endAll(): void {
    for (const session of [...this.#suspended]) {
      if (this.#handingOver && this.mirror !== undefined) {
        this.mirror.handOver(session);
        this.#end(session);
      } else this.#expire(session, "expired");
    }
  }

  /**
   * The server is shutting down: with a shared store, its sessions are left there (not retired) as it closes
   * them, so their clients, reconnecting to another node, resume there ("moved"): a rolling deploy loses no session.
   */
  handOver(): void {
    this.#handingOver = this.mirror !== undefined;
  }

  #suspendNow(session: Session): void {
    const conn = session.conn;
    conn.suspend();
    session.suspend();
    this.store.suspended?.(session);
    this.host.clients.delete(conn);
    this.host.stopStreams(conn);
    this.#suspended.add(session);
    session.timer = setTimeout(() => this.#expire(session, "expired"), this.options.windowMs);
    this.host.hook(conn, () => this.host.onSuspend(conn));
  }

  /** A live session's socket is replaced: it is let go without a word (its close reports nothing). */
  #detach(conn: ClientConnection): void {
    const old = conn.socket as Socket | undefined;
    if (old === undefined || conn.session === undefined) return;
    old.webshocketConn = undefined;
    old.webshocketDetached = true;
    this.#suspendNow(conn.session);
    old.close();
  }

  /** Another node took this session's token: it is let go here, nothing more delivered into it (onDisconnect runs). */
  #takenElsewhere(session: Session): void {
    if (session.released) return;
    this.store.take(session.token); // retired as used by the taker, everywhere
    const conn = session.conn;
    const old = conn.socket as Socket | undefined;
    if (old !== undefined) {
      // A half-open socket here: dropped without a word (the client is on the other node).
      old.webshocketConn = undefined;
      old.webshocketDetached = true;
      conn.suspend();
      this.host.clients.delete(conn);
      this.host.stopStreams(conn);
      old.close();
    }
    this.#end(session);
  }

  #expire(session: Session, reason: ResumeFailure): void {
    if (session.released) return;
    this.store.retire(session.token, reason);
    this.#end(session);
  }

  #end(session: Session): void {
    if (session.released) return;
    session.released = true;
    this.#suspended.delete(session);
    session.end();
    const conn = session.conn;
    conn.closed();
    this.host.release(conn);
  }

  /** The session packet: an RPC response to the reserved call id, so it counts as no message. */
  #announce(conn: ClientConnection, token: string, recovered: boolean, reason: ResumeFailure | "moved" | undefined): void {
    const response = { token, recovered, reason: reason ?? null, window: this.options.windowMs / 1000 };
    conn.sendPacket(createResponse(SESSION_CALL_ID, response, { isEnd: true }));
  }
}
