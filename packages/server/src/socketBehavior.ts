import { CloseCode, randomId } from "@webshocket/protocol";
import { ClientConnection, type SocketData } from "./connection.js";
import { uws, type WebSocket, type WebSocketBehavior } from "./native.js";
import type { Runtime } from "./runtime.js";
import { handleUpgrade } from "./upgrade.js";

/**
 * Each socket's connection is kept on uWS's socket object itself, not in its user data: reading a JS
 * property there is a plain load, where `getUserData()` is a call into the addon on every message (apps/bench 64×16,
 * paired runs: −3.5% server CPU per call; a symbol-keyed property measured slower than either). uWS hands
 * the same object to every callback of a socket.
 */
type Socket = WebSocket<SocketData> & { webshocketConn?: ClientConnection };

/** What the behaviour needs besides the runtime. */
export interface BehaviorHooks {
  /** False while the server is closing: new upgrades are refused. */
  accepting(): boolean;
  /** A connection has opened (manual mode queues it for accept()). */
  opened(conn: ClientConnection): void;
  /** A socket has closed. */
  closed(): void;
}

/** The uWebSockets.js WebSocket behaviour: handshake, open, message, drain, close. */
export function socketBehavior(rt: Runtime, hooks: BehaviorHooks): WebSocketBehavior<SocketData> {
  const o = rt.options;
  return {
    // uWebSockets.js drops an oversize socket without a close frame (1006). Letting it read up to
    // twice our limit lets us refuse the message ourselves with a proper 1009.
    maxPayloadLength: Math.min(o.maxPayloadLength * 2, 0x7fffffff),
    idleTimeout: o.idleTimeout,
    sendPingsAutomatically: true,
    maxBackpressure: o.maxBackpressure,
    compression: o.compression ? uws.SHARED_COMPRESSOR : uws.DISABLED,

    upgrade(res, req, context) {
      handleUpgrade(o, rt.logger, hooks.accepting, res, req, context);
    },

    open(ws: WebSocket<SocketData>) {
      if (rt.clients.size >= o.maxConnections) {
        ws.end(CloseCode.TRY_AGAIN_LATER, "Server is at its connection limit, try again later");
        return;
      }
      const conn = new ClientConnection(ws, rt, randomId(), o.packetQueueSize);
      (ws as Socket).webshocketConn = conn;
      rt.clients.add(conn);
      rt.clientsById.set(conn.uid, conn);
      hooks.opened(conn);
      rt.enteredCallback();
      rt.hook(conn, () => rt.handler.onConnect(conn));
    },

    message(ws: WebSocket<SocketData>, message: ArrayBuffer) {
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

    drain(ws: WebSocket<SocketData>) {
      (ws as Socket).webshocketConn?.drained();
    },

    close(ws: WebSocket<SocketData>) {
      const conn = (ws as Socket).webshocketConn;
      if (conn === undefined) return; // refused at open (maxConnections)
      rt.enteredCallback();
      rt.disconnected(conn);
      hooks.closed();
    },
  };
}
