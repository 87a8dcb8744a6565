import { silentLogger, WebSocketServer, type WebSocketServerOptions } from "../src/index.js";

/** Starts a real server on an ephemeral port; dispose it with `await using`. */
export async function startServer(options: WebSocketServerOptions = {}): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, closeGracePeriod: 1000, ...options });
  await server.start();
  return server;
}
