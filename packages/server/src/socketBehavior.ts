import { CloseCode, randomId } from "@webshocket/protocol";
import { ClientConnection, type SocketData } from "./connection.js";
import type { EngineSocket, SocketHandlers } from "./engine/engine.js";
import type { Runtime } from "./runtime.js";
import { handleUpgrade, type ConnectionSlots } from "./upgrade.js";
import type { ResumeRequest } from "./session/sessions.js";

/**
 * Each socket's connection is kept on the engine's socket object itself: on uWS, reading a JS property there is
 * a plain load, where `getUserData()` is a call into the addon on every message (apps/bench 64×16, paired runs:
 * −3.5% server CPU per call; a symbol-keyed property measured slower than either). Engines hand the same
 * object to every callback of a socket.
 */
type Socket = EngineSocket & { webshocketConn?: ClientConnection; webshocketDetached?: boolean };

/** What the behaviour needs besides the runtime. */
export interface BehaviorHooks {
  /** False while the server is closing: new upgrades are refused. */
  accepting(): boolean;
  /** A connection has opened (manual mode queues it for accept()). */
  opened(conn: ClientConnection): void;
  /** A socket opened and resumed a suspended session. */
  resumed(): void;
  /** A socket has closed. */
  closed(): void;
}

/** The server core's socket callbacks, the same for every engine: handshake, open, message, drain, close. */
export function socketBehavior(rt: Runtime, hooks: BehaviorHooks): SocketHandlers {
  const o = rt.options;
  const slots: ConnectionSlots = {
    get open() {
      return rt.clients.size;
    },
    pending: 0,
  };
  const sessions = rt.sessions;
  const lookUp = sessions?.mirror === undefined ? undefined : (r: ResumeRequest) => sessions.lookUp(r, rt.logger);
  const handlers: SocketHandlers = {
    upgrade(request, reply) {
      handleUpgrade(o, rt.logger, hooks.accepting, slots, request, reply, lookUp);
    },

    open(ws: EngineSocket, data: SocketData) {
      // Refused at the upgrade (503) as a rule; an engine that opened a socket past the limit anyway is answered here.
      if (rt.clients.size >= o.maxConnections) {
        ws.end(CloseCode.TRY_AGAIN_LATER, "Server is at its connection limit, try again later");
        return;
      }
      rt.enteredCallback();
      const asked = data.resume;
      const moved = asked?.moved;
      // Another node's session (shared store): opened here with its uid, state and subscriptions.
      const moves = moved !== undefined && moved.clientType === data.clientType && !rt.clientsById.has(moved.uid);
      const refused = moved !== undefined && !moves ? "mismatch" : asked?.failure;
      const resume = refused ?? (asked?.token !== undefined && !moves ? rt.sessions?.resume(ws, data, asked) : undefined);
      if (typeof resume === "object") {
        hooks.resumed();
        return;
      }
      const conn = moves ? new ClientConnection(ws, { ...data, initialState: moved.state }, rt, moved.uid, o.packetQueueSize) : new ClientConnection(ws, data, rt, randomId(), o.packetQueueSize);
      (ws as Socket).webshocketConn = conn;
      rt.clients.add(conn);
      rt.clientsById.set(conn.uid, conn);
      if (moves) {
        conn.subscribe(moved.channels);
        rt.sessions?.startMoved(conn);
      } else if (asked !== undefined) rt.sessions?.start(conn, resume);
      hooks.opened(conn);
      rt.enteredCallback();
      rt.connected(conn);
    },

    message(ws: EngineSocket, message: ArrayBuffer | Uint8Array) {
      const conn = (ws as Socket).webshocketConn;
      if (conn === undefined) return;
      if (message.byteLength > o.maxPayloadLength) {
        conn.close(CloseCode.MESSAGE_TOO_BIG, `Message too big (limit ${o.maxPayloadLength} bytes)`);
        return;
      }
      rt.corked = true;
      rt.enteredCallback();
      rt.startMessage();
      try {
        rt.receive(conn, message);
      } catch (err) {
        rt.reportError(err, conn);
      } finally {
        rt.corked = false;
      }
    },

    drain(ws: EngineSocket) {
      (ws as Socket).webshocketConn?.drained();
    },

    close(ws: EngineSocket, code: number) {
      const conn = (ws as Socket).webshocketConn;
      if (conn === undefined) {
        if ((ws as Socket).webshocketDetached === true) hooks.closed(); // a resumed session's stale socket
        return; // refused at open (maxConnections)
      }
      rt.enteredCallback();
      rt.disconnected(conn, code);
      hooks.closed();
    },
  };
  // Decided once: with no observer of incoming messages, the engines call the core's own callback.
  const seen = rt.observer?.messageIn;
  if (seen === undefined) return handlers;
  const message = handlers.message;
  handlers.message = (ws: EngineSocket, bytes: ArrayBuffer | Uint8Array) => {
    const conn = (ws as Socket).webshocketConn;
    if (conn !== undefined) seen(conn, bytes.byteLength);
    message(ws, bytes);
  };
  return handlers;
}
