import type { StaticFile } from "./staticFile.js";

export { loadStaticFiles, staticFile, type StaticFile } from "./staticFile.js";

/** Anything that can serve files next to its WebSocket endpoint: a `WebSocketServer`. */
export interface ServesFiles {
  serveFiles(files: ReadonlyMap<string, StaticFile>): void;
}

/**
 * Serves pages from the WebSocket server's own port, on either engine: GET routes for `files` and a 404 for
 * every other HTTP request. Call before `server.start()`. WebSocket handshakes on the same paths still reach
 * the server. Files are answered from memory.
 *
 * @example
 * const files = loadStaticFiles(fileURLToPath(new URL("../public", import.meta.url)));
 * serveStatic(server, files);
 */
export function serveStatic(server: ServesFiles, files: ReadonlyMap<string, StaticFile>): void {
  server.serveFiles(files);
}
