import { readFileSync, readdirSync } from "node:fs";
import { extname, join } from "node:path";

/** A file served from memory. */
export interface StaticFile {
  readonly body: Uint8Array;
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
