import { readFileSync, readdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { HttpRequest, TemplatedApp } from "../native.js";

/** A file served from memory. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Reads one file for serving; its content type comes from its extension. */
export function staticFile(path: string): StaticFile {
  return { body: readFileSync(path), contentType: TYPES[extname(path)] ?? "application/octet-stream" };
}

/** URL path → file, for every file directly in `dir` (`/index.html` is also `/`). */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) files.set(`/${entry.name}`, staticFile(join(dir, entry.name)));
  }
  const index = files.get("/index.html");
  if (index !== undefined) files.set("/", index);
  return files;
}

/** WebSocket handshakes share paths with pages: hand them on to the server's `ws("/*")` route. */
function isUpgrade(req: HttpRequest): boolean {
  if (req.getHeader("upgrade") === "") return false;
  req.setYield(true);
  return true;
}

/**
 * Serves pages from the WebSocket server's own port: GET routes for `files` and a 404 for every other
 * HTTP request, on `server.app`. Call before `server.start()`. WebSocket handshakes on the same paths
 * still reach the server. Files are answered from memory.
 *
 * @example
 * const files = loadStaticFiles(fileURLToPath(new URL("../public", import.meta.url)));
 * serveStatic(server.app, files);
 */
export function serveStatic(app: TemplatedApp, files: ReadonlyMap<string, StaticFile>): void {
  for (const [path, file] of files) {
    app.get(path, (res, req) => {
      if (isUpgrade(req)) return;
      res
        .writeStatus("200 OK")
        .writeHeader("content-type", file.contentType)
        .writeHeader("cache-control", "no-cache")
        .writeHeader("x-content-type-options", "nosniff")
        .end(file.body);
    });
  }
  app.any("/*", (res, req) => {
    if (isUpgrade(req)) return;
    res.writeStatus("404 Not Found").writeHeader("content-type", "text/plain; charset=utf-8").end("Not found\n");
  });
}
