/**
 * @webshocket/client for Node (20, 22, 24): the `ws` package (which also takes the `tls` option);
 * Node's global WebSocket only where `ws` cannot be loaded. Browsers and bundlers targeting them get
 * `index.browser.js` through the `browser` export condition.
 * @module
 */
import { jsonWire, msgpackWire } from "@webshocket/protocol";
import { BaseClient } from "./client.js";
import type { ClientOptions } from "./options.js";
import { nodeTransport } from "./transport/node.js";

export * from "./shared.js";

/**
 * A webshocket client: RPC, streaming RPC, channels, broadcasts, retry and typed calls.
 * @example
 * await using client = await new WebSocketClient("ws://localhost:5000").connect();
 * const res = await client.sendRpc("add", 10, 20); // res.data === 30
 */
export class WebSocketClient extends BaseClient {
  /** @throws InvalidURIError when `uri` is not a ws:// or wss:// URI. */
  constructor(uri: string, options: ClientOptions = {}) {
    super(uri, options, nodeTransport, { json: jsonWire, msgpack: msgpackWire });
  }
}
