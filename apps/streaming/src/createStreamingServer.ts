import { fileURLToPath } from "node:url";
import { loadStaticFiles, serveStatic, staticFile, WebSocketServer } from "@webshocket/server";
import type { StreamingConfig } from "./config.js";
import { TokenHandler } from "./tokenHandler.js";

/** The browser build of @webshocket/client, served to the page as `/webshocket-client.js`. */
const CLIENT_BUNDLE = fileURLToPath(import.meta.resolve("@webshocket/client/browser"));

/** The page and its assets: `apps/streaming/public/` (next to `dist/`). */
export const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

/** The streaming demo server, not yet started: {@link TokenHandler} plus the page on the same port. */
export function createStreamingServer(config: StreamingConfig): WebSocketServer {
  const server = new WebSocketServer({ host: config.host, port: config.port, handler: new TokenHandler() });
  const files = loadStaticFiles(PUBLIC_DIR);
  files.set("/webshocket-client.js", staticFile(CLIENT_BUNDLE));
  serveStatic(server, files);
  return server;
}
