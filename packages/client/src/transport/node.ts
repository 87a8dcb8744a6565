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
  name: "node",
  check() {},
  async create({ url, protocols, tls, WebSocket }: OpenRequest): Promise<WebSocketLike> {
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
    return new Ws(url, protocols, tls ? tlsOptions(tls) : {});
  },
};
