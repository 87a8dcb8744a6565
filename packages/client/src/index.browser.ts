/**
 * @webshocket/client for browsers: the native WebSocket, no Node built-ins. Selected by the
 * `browser` export condition, and bundled into `dist/browser/webshocket-client.js`.
 * @module
 */
import { jsonWire, msgpackWire } from "@webshocket/protocol";
import { BaseClient } from "./client.js";
import type { ClientOptions } from "./options.js";
import { browserTransport } from "./transport/browser.js";

export * from "./shared.js";

/**
 * A webshocket client: RPC, streaming RPC, channels, broadcasts, retry and typed calls.
 * @example
 * const client = await new WebSocketClient("wss://example.com/ws").connect();
 * const res = await client.sendRpc("add", 10, 20); // res.data === 30
 */
export class WebSocketClient extends BaseClient {
  /** @throws InvalidURIError when `uri` is not a ws:// or wss:// URI; WebSocketError when `tls` is set. */
  constructor(uri: string, options: ClientOptions = {}) {
    super(uri, options, browserTransport, { json: jsonWire, msgpack: msgpackWire });
  }
}
