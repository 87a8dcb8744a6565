/**
 * @webshocket/client/json: the browser client without msgpack, for the smallest bundle. It speaks
 * JSON only (`format` defaults to `"json"`; `"msgpack"` throws a TypeError). Otherwise the same
 * client as `@webshocket/client` in browsers: the native WebSocket, no Node built-ins.
 * @module
 */
import { jsonWire } from "@webshocket/protocol";
import { BaseClient } from "./client.js";
import type { ClientOptions } from "./options.js";
import { browserTransport } from "./transport/browser.js";

export * from "./shared.js";

/**
 * A webshocket client speaking JSON: RPC, streaming RPC, channels, broadcasts, retry and typed calls.
 * @example
 * const client = await new WebSocketClient("wss://example.com/ws").connect();
 * const res = await client.sendRpc("add", 10, 20); // res.data === 30
 */
export class WebSocketClient extends BaseClient {
  /** @throws InvalidURIError when `uri` is not a ws:// or wss:// URI; TypeError for `format: "msgpack"`; WebSocketError when `tls` is set. */
  constructor(uri: string, options: ClientOptions = {}) {
    super(uri, options, browserTransport, { json: jsonWire });
  }
}
