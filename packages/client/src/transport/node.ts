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
 * Node: an injected constructor first; else the global WebSocket (Node 22+) unless TLS options
 * are set; else the `ws` package, which takes the TLS options.
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
    const Global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (Global && !tls) return new Global(url, protocols);
    const Ws = await loadWs();
    return new Ws(url, protocols, tls ? tlsOptions(tls) : {});
  },
};
