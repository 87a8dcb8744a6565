import { WebSocketError } from "@webshocket/protocol";
import type { Transport, WebSocketConstructor } from "./types.js";

/** Browsers (and any runtime with a global WebSocket): the native WebSocket, no Node built-ins. */
export const browserTransport: Transport = {
  _check(options) {
    if (options.tls) {
      throw new WebSocketError("tls is Node-only: browsers use their own trust store");
    }
  },
  _create({ _url: url, _protocols: protocols, _WebSocket: WebSocket }) {
    const Ctor = WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new WebSocketError("No global WebSocket: pass the WebSocket option");
    return new Ctor(url, protocols);
  },
};
