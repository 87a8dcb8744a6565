import type { IncomingMessage } from "node:http";
import type { TlsOptions } from "../options.js";
import type { OpenRequest, Transport, WebSocketConstructor, WebSocketLike } from "./types.js";

type WsConstructor = new (url: string, protocols: string[], options: Record<string, unknown>) => WebSocketLike;

let wsModule: Promise<WsConstructor> | undefined;

/** Loads `ws` once, on the first connection that needs it. */
function loadWs(): Promise<WsConstructor> {
  wsModule ??= import("ws").then((m) => m.default as unknown as WsConstructor);
  return wsModule;
}

function tlsOptions(tls: TlsOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (tls.ca !== undefined) out["ca"] = tls.ca;
  if (tls.cert !== undefined) out["cert"] = tls.cert;
  if (tls.key !== undefined) out["key"] = tls.key;
  if (tls.rejectUnauthorized !== undefined) out["rejectUnauthorized"] = tls.rejectUnauthorized;
  return out;
}

/**
 * Node: an injected constructor first; else the `ws` package (a dependency, which takes the TLS options);
 * Node's global WebSocket only where `ws` cannot be loaded. The global one (undici) is not used by default:
 * on Node 22 a connection refused fires `error` but never `close`, which left reconnects hanging, and it
 * reports an untrusted certificate as a bare 1006 close.
 */
export const nodeTransport: Transport = {
  _check() {},
  async _create({ _url: url, _protocols: protocols, _tls: tls, _WebSocket: WebSocket }: OpenRequest): Promise<WebSocketLike> {
    if (WebSocket) {
      // An injected constructor gets the TLS options as third argument, as `ws` takes them.
      const Ctor = WebSocket as unknown as WsConstructor;
      return tls ? new Ctor(url, protocols, tlsOptions(tls)) : new WebSocket(url, protocols);
    }
    let Ws: WsConstructor;
    try {
      Ws = await loadWs();
    } catch (err) {
      const Global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      if (Global === undefined || tls) throw err;
      wsModule = undefined;
      return new Global(url, protocols);
    }
    return reportRefusal(new Ws(url, protocols, tls ? tlsOptions(tls) : {}));
  },
};

/** The part of `ws`'s client that tells a refused handshake's HTTP answer. */
interface WsEvents {
  once(event: "unexpected-response", listener: (req: { destroy(): void; emit(event: "error", error: Error): boolean }, res: IncomingMessage) => void): void;
}

/** Longest answer body read into the error message. */
const BODY_LIMIT = 512;

/**
 * A handshake the server refused fails with what the server said: its status, its body (e.g. "server is full
 * (maxConnections), try again later" with 503 at the connection limit) and its Retry-After, instead of `ws`'s
 * bare "Unexpected server response: 503". The error carries `status` and `retryAfterMs` (browsers do not expose
 * the answer: there the failure stays generic).
 */
function reportRefusal(socket: WebSocketLike): WebSocketLike {
  (socket as unknown as WsEvents).once("unexpected-response", (req, res) => {
    let body = "";
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      const seconds = Number(res.headers["retry-after"] ?? Number.NaN);
      const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
      const text = body.slice(0, BODY_LIMIT).trim() || res.statusMessage || "";
      const message = `the server refused the connection: HTTP ${res.statusCode} ${text}${retryAfterMs === undefined ? "" : ` (Retry-After ${seconds} s)`}`;
      // ws reports a request error as the socket's error, then closes it (1006): openSocket shows this message.
      // Emitted here, not through req.destroy(error): once the response has come, Node 24 emits no 'error' for
      // that, and ws would never close.
      req.emit("error", Object.assign(new Error(message), { status: res.statusCode, retryAfterMs }));
      req.destroy();
      res.destroy();
    };
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      body += chunk;
      if (body.length >= BODY_LIMIT) done();
    });
    res.once("end", done);
    res.once("error", done);
    res.once("close", done);
  });
  return socket;
}
